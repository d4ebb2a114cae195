package org.mosaicpacs.service.query.internal;

import java.io.IOException;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-FIND SCP of the Patient Root and Study Root Query/Retrieve information models (PS3.4
 * C.4.1): checks the Request Identifier, runs it on the {@link ArchiveIndex} (which performs the
 * matching of PS3.4 C.2.2.2 and computes the derived keys), and streams each match as a pending
 * response in the requestor's character set.
 *
 * <p>Statuses (PS3.4 C.4.1.1.4):
 * <ul>
 * <li>FF00 Pending, one per match (with Query/Retrieve Level, Retrieve AE Title and, when asked
 *     for, Instance Availability ONLINE);</li>
 * <li>0000 Success after the last match;</li>
 * <li>FE00 Cancel after a C-CANCEL (the index cursor is closed at once);</li>
 * <li>A700 Refused: Out of Resources when more entities match than the configured maximum: the
 *     first matches were sent, the Error Comment says the answer is incomplete;</li>
 * <li>A900 Identifier Does Not Match SOP Class: no identifier, Query/Retrieve Level missing,
 *     unknown or not in the model, a key whose VR contradicts PS3.6, a key value that is no
 *     valid date/time range, a hierarchical query without the unique keys of the levels above
 *     (Offending Element and Error Comment name it);</li>
 * <li>C000 Unable to Process: the identifier cannot be decoded, or the index fails;</li>
 * <li>0211 Unrecognized Operation for anything but C-FIND on these SOP classes.</li>
 * </ul>
 */
final class FindScp implements DimseHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FindScp.class);
    private static final int UNABLE_TO_PROCESS = 0xC000;

    private final ArchiveIndex index;
    private final QuerySettings settings;

    FindScp(ArchiveIndex index, QuerySettings settings) {
        this.index = index;
        this.settings = settings;
    }

    @Override
    public byte[] extendedNegotiation(String sopClassUid, byte[] requested) {
        return QueryNegotiation.reply(requested, settings.relationalQueries());
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException, IOException {
        try {
            return find(request, context);
        } catch (DimseStatusException e) {
            // the comment names the key and the reason, never a value: fine to log
            LOG.info("C-FIND from {} answered {}: {}", context.association().callingAeTitle(),
                    Status.describe(e.status()), e.getMessage());
            throw e;
        }
    }

    private DimseResponse find(DimseRequest request, DimseContext context) throws DimseStatusException, IOException {
        InformationModel model = QueryIdentifier.modelOf(request.sopClassUid());
        if (request.dimse() != Dimse.C_FIND_RQ || model == null) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION,
                    request.dimse() + " is not served for " + request.sopClassUid());
        }
        DataSet keys;
        try {
            keys = request.hasDataSet() ? request.dataSet() : null;
        } catch (IOException e) {
            throw new DimseStatusException(UNABLE_TO_PROCESS, "cannot decode the Identifier: " + e.getMessage(), e);
        }
        QueryNegotiation negotiated = QueryNegotiation.accepted(context.association(), request.sopClassUid());
        QueryIdentifier identifier = QueryIdentifier.parse(model, keys, negotiated.relational());
        IndexQuery query = new IndexQuery(model, identifier.level(), keys,
                settings.fuzzyPersonNames() || negotiated.fuzzyPersonNames(), negotiated.relational(), false, 0,
                settings.maxMatches(), negotiated.combinedDateTime());
        String retrieveAeTitle = context.association().calledAeTitle();
        boolean availability = keys.contains(Tag.InstanceAvailability);
        int sent = 0;
        try (QueryResults results = index.query(query)) {
            while (results.hasNext()) {
                if (context.isCancelled()) {
                    LOG.debug("C-FIND from {} cancelled after {} matches", context.association().callingAeTitle(), sent);
                    return DimseResponse.of(Status.CANCEL);
                }
                DataSet match = results.next();
                match.setString(Tag.QueryRetrieveLevel, VR.CS, identifier.level().name());
                match.setString(Tag.RetrieveAETitle, VR.AE, retrieveAeTitle);
                if (availability) {
                    match.setString(Tag.InstanceAvailability, VR.CS, "ONLINE");
                }
                ResponseCharacterSet.apply(match, keys.specificCharacterSet());
                context.sendPending(DimseResponse.pending(match));
                sent++;
            }
            if (context.isCancelled()) {
                return DimseResponse.of(Status.CANCEL);
            }
            if (results.limitReached()) {
                LOG.info("C-FIND from {} matched more than {} entities: answer cut", context.association().callingAeTitle(),
                        sent);
                return DimseResponse.of(Status.OUT_OF_RESOURCES).withErrorComment("more than " + sent
                        + " matches, only those were sent: narrow the query");
            }
            return DimseResponse.success();
        } catch (IndexException e) {
            throw indexFailure(e);
        } catch (IllegalStateException e) {
            // the index reports a database failure while iterating this way (QueryResults contract)
            throw new DimseStatusException(UNABLE_TO_PROCESS, "the index failed: " + e.getMessage(), e);
        }
    }

    /**
     * A900 for a query the index refuses as malformed (its message names the key; the quoted value
     * and what follows are left out of the Error Comment, which must not carry patient data), C000
     * for a failure of the database.
     */
    private static DimseStatusException indexFailure(IndexException e) {
        if (e.getCause() instanceof IllegalArgumentException) {
            String message = e.getMessage() == null ? "invalid matching key" : e.getMessage();
            int quote = message.indexOf('"');
            String reason = quote > 0 ? message.substring(0, quote).strip() : message;
            return new DimseStatusException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, reason, e);
        }
        LOG.warn("C-FIND failed in the index: {}", e.toString());
        return new DimseStatusException(UNABLE_TO_PROCESS, "the index failed: " + e.getMessage(), e);
    }
}
