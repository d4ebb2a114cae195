package org.mosaicpacs.api.index;

import java.util.Objects;

import org.mosaicpacs.dicom.DataSet;

/**
 * A query as C-FIND or QIDO-RS poses it: an identifier of matching keys and return keys.
 *
 * @param model             the information model
 * @param level             the level of the entities to return
 * @param keys              the identifier: attributes with a value are matching keys (single value,
 *                          UID list, wildcard, range, sequence matching per PS3.4 C.2.2.2); attributes
 *                          present without value are return keys. Unique keys of higher levels
 *                          restrict the search (hierarchical), unless {@code relational}
 * @param fuzzyPersonNames  person names match fuzzily (PS3.4 C.2.2.2.1, negotiated or configured)
 * @param relational        relational query (PS3.4 C.4.1.2.2.1): higher-level keys need not be unique keys
 * @param allAttributes     return every stored attribute of the entity, not only the return keys
 *                          (QIDO-RS {@code includefield=all})
 * @param offset            matches to skip
 * @param limit             the most matches to return; 0 means the implementation's configured maximum
 * @param combinedDateTime  a date key and its time key (Study Date and Study Time, ...) form one
 *                          date-time range (PS3.4 C.2.2.2.5), as negotiated by SOP Class Extended
 *                          Negotiation; otherwise they match independently
 */
public record IndexQuery(InformationModel model, QueryLevel level, DataSet keys, boolean fuzzyPersonNames,
                         boolean relational, boolean allAttributes, int offset, int limit, boolean combinedDateTime) {

    /** A query without combined date-time matching. */
    public IndexQuery(InformationModel model, QueryLevel level, DataSet keys, boolean fuzzyPersonNames,
                      boolean relational, boolean allAttributes, int offset, int limit) {
        this(model, level, keys, fuzzyPersonNames, relational, allAttributes, offset, limit, false);
    }

    public IndexQuery {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(keys, "keys");
        if (model == InformationModel.STUDY_ROOT && level == QueryLevel.PATIENT) {
            throw new IllegalArgumentException("the Study Root model has no PATIENT level");
        }
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
    }
}
