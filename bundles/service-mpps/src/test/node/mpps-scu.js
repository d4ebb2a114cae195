// dcmjs-dimse as an independent MPPS SCU (PS3.4 F.7) against the SCP under test.
// Usage: node mpps-scu.js HOST PORT CALLED_AE UID_ROOT RESULT_FILE
// Runs each step on its own association, in order, and writes one JSON array to RESULT_FILE (stdout
// carries dcmjs-dimse's log): per step its name,
// the status received (or null), the Error Comment, the Error ID, the Offending Elements and the
// Affected SOP Instance UID of the response. The Java test (MppsInteropTest) judges the statuses.
'use strict';
const fs = require('fs');
const { Client, Dataset, requests } = require('dcmjs-dimse');
const { NCreateRequest, NSetRequest } = requests;

const [host, portText, calledAe, root, resultFile] = process.argv.slice(2);
const port = Number(portText);
const MPPS = '1.2.840.10008.3.1.2.3.3';
const studyUid = `${root}.1`;
const uid = (n) => `${root}.9.${n}`;

function createAttributes(overrides) {
  return Object.assign({
    SpecificCharacterSet: 'ISO_IR 192',
    ScheduledStepAttributesSequence: [{
      StudyInstanceUID: studyUid,
      ReferencedStudySequence: [],
      AccessionNumber: 'ACC-DCMJS-1',
      RequestedProcedureID: 'RP-DCMJS-1',
      RequestedProcedureDescription: 'CT chest',
      ScheduledProcedureStepID: 'SPS-DCMJS-1',
      ScheduledProcedureStepDescription: 'CT chest without contrast',
      ScheduledProtocolCodeSequence: [],
    }],
    PatientName: 'Müller^Jürgen',
    PatientID: 'DCMJS-PID-1',
    PatientBirthDate: '19600101',
    PatientSex: 'M',
    ReferencedPatientSequence: [],
    PerformedProcedureStepID: 'PPS-DCMJS-1',
    PerformedStationAETitle: 'DCMJS_CT',
    PerformedStationName: 'CT room 1',
    PerformedLocation: 'Radiology',
    PerformedProcedureStepStartDate: '20260301',
    PerformedProcedureStepStartTime: '101500',
    PerformedProcedureStepStatus: 'IN PROGRESS',
    PerformedProcedureStepDescription: 'CT chest',
    PerformedProcedureTypeDescription: '',
    ProcedureCodeSequence: [],
    PerformedProcedureStepEndDate: '',
    PerformedProcedureStepEndTime: '',
    Modality: 'CT',
    StudyID: 'S1',
    PerformedProtocolCodeSequence: [],
    PerformedSeriesSequence: [],
  }, overrides);
}

function without(attributes, ...keys) {
  const copy = Object.assign({}, attributes);
  keys.forEach((k) => delete copy[k]);
  return copy;
}

const performedSeries = [{
  PerformingPhysicianName: '',
  ProtocolName: 'Chest routine',
  OperatorsName: 'Tech^One',
  SeriesInstanceUID: `${root}.2.1`,
  SeriesDescription: 'Axial 1mm',
  RetrieveAETitle: '',
  ReferencedImageSequence: [{ ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2', ReferencedSOPInstanceUID: `${root}.3.1` }],
  ReferencedNonImageCompositeSOPInstanceSequence: [],
}];

const steps = [
  ['create', () => nCreate(uid(1), createAttributes({}))],
  ['update', () => nSet(uid(1), { PerformedProcedureStepDescription: 'CT chest, low dose' })],
  ['complete', () => nSet(uid(1), {
    PerformedProcedureStepStatus: 'COMPLETED', PerformedProcedureStepEndDate: '20260301',
    PerformedProcedureStepEndTime: '103000', PerformedSeriesSequence: performedSeries,
  })],
  ['setAfterCompleted', () => nSet(uid(1), { PerformedProcedureStepDescription: 'too late' })],
  ['createMissingType1', () => nCreate(uid(2), without(createAttributes({}), 'PerformedStationAETitle', 'Modality'))],
  ['createEmptyType1', () => nCreate(uid(3), createAttributes({ PerformedProcedureStepID: '' }))],
  ['createCompleted', () => nCreate(uid(4), createAttributes({ PerformedProcedureStepStatus: 'COMPLETED' }))],
  ['setUnknown', () => nSet(uid(99), { PerformedProcedureStepDescription: 'nobody' })],
  ['createDuplicate', () => nCreate(uid(1), createAttributes({}))],
  ['createForDiscontinue', () => nCreate(uid(5), createAttributes({ PerformedProcedureStepID: 'PPS-DCMJS-5' }))],
  ['discontinueWithoutEnd', () => nSet(uid(5), { PerformedProcedureStepStatus: 'DISCONTINUED' })],
  ['createWithoutUid', () => nCreate('', createAttributes({ PerformedProcedureStepID: 'PPS-DCMJS-6' }))],
  ['discontinue', () => nSet(uid(5), {
    PerformedProcedureStepStatus: 'DISCONTINUED', PerformedProcedureStepEndDate: '20260301',
    PerformedProcedureStepEndTime: '102000', PerformedSeriesSequence: performedSeries,
  })],
];

function nCreate(instanceUid, attributes) {
  const request = new NCreateRequest(MPPS, instanceUid);
  request.setDataset(new Dataset(attributes));
  return send(request);
}

function nSet(instanceUid, modifications) {
  const request = new NSetRequest(MPPS, instanceUid);
  request.setDataset(new Dataset(modifications));
  return send(request);
}

function send(request) {
  return new Promise((resolve) => {
    const result = { status: null };
    const client = new Client();
    request.on('response', (response) => {
      const command = response.getCommandDataset();
      result.status = response.getStatus();
      result.errorComment = response.getErrorComment() || null;
      result.errorId = command.getElement('ErrorID') ?? null;
      result.offendingElements = command.getElement('OffendingElement') ?? null;
      result.affectedSopInstanceUid = response.getAffectedSopInstanceUid() || null;
    });
    client.on('associationRejected', (r) => { result.error = `association rejected: ${JSON.stringify(r)}`; });
    client.on('networkError', (e) => { result.error = `network error: ${e.message}`; });
    client.on('closed', () => resolve(result));
    client.addRequest(request);
    client.send(host, port, 'DCMJS_SCU', calledAe);
  });
}

(async () => {
  const results = [];
  for (const [name, run] of steps) {
    results.push(Object.assign({ step: name }, await run()));
  }
  fs.writeFileSync(resultFile, JSON.stringify(results, null, 1) + '\n');
})();
