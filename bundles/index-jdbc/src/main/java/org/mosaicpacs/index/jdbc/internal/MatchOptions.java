package org.mosaicpacs.index.jdbc.internal;

/**
 * How keys are matched beyond what PS3.4 C.2.2.2 fixes.
 *
 * @param caseInsensitivePersonNames PN values match ignoring case and width variants (C.2.2.2.1 allows it)
 * @param fuzzyPersonNames           PN values also match by sound (fuzzy semantic matching, C.2.2.2.1)
 * @param combinedDateTime           a date key and its time key (Study Date and Study Time...) form one
 *                                   date-time range (combined datetime matching, C.2.2.2.5)
 */
record MatchOptions(boolean caseInsensitivePersonNames, boolean fuzzyPersonNames, boolean combinedDateTime) {
}
