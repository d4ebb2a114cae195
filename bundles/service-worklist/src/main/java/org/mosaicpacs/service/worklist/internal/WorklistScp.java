package org.mosaicpacs.service.worklist.internal;

import java.io.IOException;

import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.UID;
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
 * The C-FIND SCP of the Modality Worklist Information Model – FIND (PS3.4 K.4.1): checks the
 * identifier, matches it against the worklist items ({@link WorklistMatcher}, SQL narrowing first)
 * and streams one pending response per matching item with the requested return keys (K.6) in the
 * requestor's character set.
 *
 * <p>Statuses (PS3.4 K.4.1.1.4):
 * <ul>
 * <li>FF00 Pending, one per matching item;</li>
 * <li>0000 Success after the last one;</li>
 * <li>FE00 Cancel after a C-CANCEL (the database cursor is closed at once);</li>
 * <li>A700 Refused: Out of Resources when more items match than the configured maximum: the first
 *     ones were sent, the Error Comment says the answer is incomplete;</li>
 * <li>A900 Identifier Does Not Match SOP Class: no identifier, a key whose VR contradicts PS3.6, a
 *     sequence key with more than one item, a date/time key that is no valid value or range
 *     (Offending Element and Error Comment name it, never with the value);</li>
 * <li>C000 Unable to Process: the identifier cannot be decoded, or the database fails;</li>
 * <li>0211 Unrecognized Operation for anything but C-FIND on this SOP class.</li>
 * </ul>
 */
final class WorklistScp implements DimseHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WorklistScp.class);
    private static final int UNABLE_TO_PROCESS = 0xC000;

    private final JdbcWorklistStore store;
    private final WorklistMatcher matcher;
    private final int maxMatches;

    /**
     * @param maxMatches the most items one C-FIND returns before A700; 0 for no limit
     */
    WorklistScp(JdbcWorklistStore store, boolean caseInsensitiveNames, int maxMatches) {
        if (maxMatches < 0) {
            throw new IllegalArgumentException("maxMatches must be 0 (no limit) or more, not " + maxMatches);
        }
        this.store = store;
        this.matcher = new WorklistMatcher(caseInsensitiveNames);
        this.maxMatches = maxMatches;
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException, IOException {
        try {
            return find(request, context);
        } catch (DimseStatusException e) {
            // the comment names the key and the reason, never a value: fine to log
            LOG.info("Worklist C-FIND from {} answered {}: {}", context.association().callingAeTitle(),
                    Status.describe(e.status()), e.getMessage());
            throw e;
        }
    }

    private DimseResponse find(DimseRequest request, DimseContext context) throws DimseStatusException, IOException {
        if (request.dimse() != Dimse.C_FIND_RQ || !UID.ModalityWorklistInformationModelFind.equals(request.sopClassUid())) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION,
                    request.dimse() + " is not served for " + request.sopClassUid());
        }
        DataSet keys;
        try {
            keys = request.hasDataSet() ? request.dataSet() : null;
        } catch (IOException e) {
            throw new DimseStatusException(UNABLE_TO_PROCESS, "cannot decode the Identifier: " + e.getMessage(), e);
        }
        if (keys == null) {
            throw new DimseStatusException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "the request has no Identifier");
        }
        checkVrs(keys);
        try {
            WorklistMatcher.validate(keys);
        } catch (InvalidKeyException e) {
            throw mismatch(e.getMessage(), e.tag());
        }
        int[] sent = {0};
        JdbcWorklistStore.SearchEnd end;
        try {
            end = store.search(keys, matcher, 0, maxMatches, match -> {
                if (context.isCancelled()) {
                    return false;
                }
                DataSet response = matcher.response(match.attributes(), keys);
                ResponseCharacterSet.apply(response, keys.specificCharacterSet());
                context.sendPending(DimseResponse.pending(response));
                sent[0]++;
                return true;
            });
        } catch (WorklistException e) {
            throw new DimseStatusException(UNABLE_TO_PROCESS, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DimseStatusException(UNABLE_TO_PROCESS, "the worklist failed: " + e.getMessage(), e);
        }
        if (end == JdbcWorklistStore.SearchEnd.STOPPED || context.isCancelled()) {
            LOG.debug("Worklist C-FIND from {} cancelled after {} matches", context.association().callingAeTitle(),
                    sent[0]);
            return DimseResponse.of(Status.CANCEL);
        }
        if (end == JdbcWorklistStore.SearchEnd.LIMIT_REACHED) {
            LOG.info("Worklist C-FIND from {} matched more than {} items: answer cut",
                    context.association().callingAeTitle(), sent[0]);
            return DimseResponse.of(Status.OUT_OF_RESOURCES).withErrorComment("more than " + sent[0]
                    + " matches, only those were sent: narrow the query");
        }
        return DimseResponse.success();
    }

    /** A900 for keys (at any depth) whose VR contradicts PS3.6; UN, private and "US or SS" attributes pass. */
    private static void checkVrs(DataSet keys) throws DimseStatusException {
        for (int tag : keys.tags()) {
            VR vr = keys.vr(tag);
            if (!Tags.isPrivate(tag) && !Tags.isGroupLength(tag) && vr != VR.UN) {
                DictionaryEntry entry = ElementDictionary.lookup(tag);
                if (entry != null && !entry.hasAmbiguousVR() && entry.vr() != vr) {
                    throw mismatch(entry.keyword() + " " + Tags.toString(tag) + " has VR " + vr + ", not " + entry.vr(),
                            tag);
                }
            }
            if (vr == VR.SQ) {
                Sequence items = keys.getSequence(tag);
                if (items != null) {
                    for (DataSet item : items) {
                        checkVrs(item);
                    }
                }
            }
        }
    }

    private static DimseStatusException mismatch(String comment, int offending) {
        return new DimseStatusException(DimseResponse.of(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS)
                .withErrorComment(comment).withOffendingElements(offending));
    }
}
