// dcmjs-dimse as an independent Storage Commitment Push Model SCU (PS3.4 J.3) against the SCP under test.
// Usage: node commitment-scu.js SPEC_FILE RESULT_FILE
// SPEC_FILE (JSON): { host, port, calledAe, callingAe, listenPort, waitForReportsMs, settleMs,
//   associations: [ { lingerMs, transactions: [ { transactionUid, references: [[sopClassUid, sopInstanceUid]] } ] } ] }
// Each association sends one N-ACTION (Request Storage Commitment) per transaction, then stays open
// for lingerMs so that the SCP can report on it. With listenPort > 0 an SCP for callingAe listens
// there for reports on a new association (the SCP proposes the SCP role, PS3.4 J.3.3), until every
// transaction has a report or waitForReportsMs passed, then settleMs more.
// RESULT_FILE gets { actions: [...], reports: [...], errors: [...] }; the Java test
// (StorageCommitmentInteropTest) judges them. stdout carries dcmjs-dimse's log.
'use strict';
const fs = require('fs');
const { Client, Dataset, Scp, Server, constants, requests, responses } = require('dcmjs-dimse');
const { NActionRequest } = requests;
const { NEventReportResponse } = responses;
const { PresentationContextResult, RejectReason, RejectResult, RejectSource, Status, TransferSyntax } = constants;

const STORAGE_COMMITMENT_PUSH_MODEL = '1.2.840.10008.1.20.1';
const STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE = '1.2.840.10008.1.20.1.1';
const REQUEST_STORAGE_COMMITMENT = 1;

const [specFile, resultFile] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const result = { actions: [], reports: [], errors: [] };

function recordReport(via, request, association) {
  const command = request.getCommandDataset();
  const dataset = request.getDataset();
  const report = {
    via,
    eventTypeId: request.getEventTypeId(),
    affectedSopClassUid: command.getElement('AffectedSOPClassUID') ?? null,
    affectedSopInstanceUid: command.getElement('AffectedSOPInstanceUID') ?? null,
    dataset: dataset ? dataset.getElements() : null,
  };
  if (association) {
    report.callingAe = association.getCallingAeTitle();
    report.calledAe = association.getCalledAeTitle();
  }
  result.reports.push(report);
  const response = NEventReportResponse.fromRequest(request);
  response.setStatus(Status.Success);
  return response;
}

// The requester's own SCP, for the report on a new association.
class ReportReceiver extends Scp {
  associationRequested(association) {
    this.association = association;
    if (association.getCalledAeTitle() !== spec.callingAe) {
      result.errors.push(`report association called ${association.getCalledAeTitle()}, not ${spec.callingAe}`);
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
      return;
    }
    const roles = [];
    association.getPresentationContexts().forEach((c) => {
      const context = association.getPresentationContext(c.id);
      roles.push({ abstractSyntax: context.getAbstractSyntaxUid(), scuRole: context.getUserRole() ?? null,
        scpRole: context.getProviderRole() ?? null });
      if (context.getAbstractSyntaxUid() !== STORAGE_COMMITMENT_PUSH_MODEL) {
        context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        return;
      }
      const syntax = [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian]
        .find((ts) => context.getTransferSyntaxUids().includes(ts));
      if (syntax) {
        context.setResult(PresentationContextResult.Accept, syntax);
      } else {
        context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
    });
    result.newAssociationRoles = roles;
    this.sendAssociationAccept();
  }

  nEventReportRequest(request, callback) {
    callback(recordReport('new', request, this.association));
  }

  associationReleaseRequested() {
    this.sendAssociationReleaseResponse();
  }
}

function runAssociation(association) {
  return new Promise((resolve) => {
    const client = new Client();
    association.transactions.forEach((transaction) => {
      const request = new NActionRequest(STORAGE_COMMITMENT_PUSH_MODEL, STORAGE_COMMITMENT_PUSH_MODEL_INSTANCE,
        REQUEST_STORAGE_COMMITMENT);
      request.setDataset(new Dataset({
        TransactionUID: transaction.transactionUid,
        ReferencedSOPSequence: transaction.references.map(([cuid, iuid]) => ({
          ReferencedSOPClassUID: cuid, ReferencedSOPInstanceUID: iuid,
        })),
      }));
      request.on('response', (response) => {
        result.actions.push({
          transactionUid: transaction.transactionUid,
          status: response.getStatus(),
          errorComment: response.getErrorComment() || null,
        });
      });
      client.addRequest(request);
    });
    client.on('nEventReportRequest', (request, callback) => callback(recordReport('same', request, null)));
    client.on('associationRejected', (r) => result.errors.push(`association rejected: ${JSON.stringify(r)}`));
    client.on('networkError', (e) => result.errors.push(`network error: ${e.message}`));
    client.on('closed', resolve);
    client.send(spec.host, spec.port, spec.callingAe, spec.calledAe,
      { associationLingerTimeout: association.lingerMs });
  });
}

function expectedReports() {
  return spec.associations.reduce((n, a) => n + a.transactions.length, 0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForReports(ms, settleMs) {
  const deadline = Date.now() + ms;
  while (result.reports.length < expectedReports() && Date.now() < deadline) {
    await sleep(50);
  }
  await sleep(settleMs); // a repeated report would come now
}

(async () => {
  let server;
  if (spec.listenPort > 0) {
    server = new Server(ReportReceiver);
    server.on('networkError', (e) => result.errors.push(`report SCP network error: ${e.message}`));
    server.listen(spec.listenPort);
  }
  for (const association of spec.associations) {
    await runAssociation(association);
  }
  await waitForReports(spec.waitForReportsMs || 0, spec.settleMs || 0);
  if (server) {
    server.close();
  }
  fs.writeFileSync(resultFile, JSON.stringify(result, null, 1) + '\n');
})();
