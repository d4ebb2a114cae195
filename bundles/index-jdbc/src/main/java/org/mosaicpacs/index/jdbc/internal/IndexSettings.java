package org.mosaicpacs.index.jdbc.internal;

/**
 * The index's configuration, from {@link JdbcArchiveIndexComponent.Config}.
 *
 * @param maxMatches                 the most matches one query returns (0: no limit); a query's
 *                                   own limit can only lower it
 * @param fuzzyPersonNames           PN keys always match fuzzily, not only when a query asks
 * @param caseInsensitivePersonNames PN keys ignore case and width
 */
record IndexSettings(int maxMatches, boolean fuzzyPersonNames, boolean caseInsensitivePersonNames) {

    /** The defaults of the component configuration. */
    static IndexSettings defaults() {
        return new IndexSettings(1000, false, true);
    }

    /** The number of matches a query may return: its own limit capped by {@link #maxMatches}; 0 is unlimited. */
    int effectiveLimit(int queryLimit) {
        if (maxMatches <= 0) {
            return queryLimit;
        }
        return queryLimit == 0 ? maxMatches : Math.min(queryLimit, maxMatches);
    }
}
