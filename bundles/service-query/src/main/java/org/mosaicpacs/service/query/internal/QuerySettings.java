package org.mosaicpacs.service.query.internal;

/**
 * The C-FIND SCP's configuration, from {@link QueryScpComponent.Config}.
 *
 * @param maxMatches        the most matches one C-FIND returns; 0 leaves it to the index's own maximum
 * @param fuzzyPersonNames  match person names fuzzily even when the requestor did not negotiate it
 * @param relationalQueries accept relational queries when the requestor negotiates them
 */
record QuerySettings(int maxMatches, boolean fuzzyPersonNames, boolean relationalQueries) {

    QuerySettings {
        if (maxMatches < 0) {
            throw new IllegalArgumentException("maxMatches must be 0 (the index's maximum) or more, not " + maxMatches);
        }
    }
}
