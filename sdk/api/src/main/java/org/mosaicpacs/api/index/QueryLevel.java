package org.mosaicpacs.api.index;

/** Query/Retrieve Level (0008,0052), PS3.4 C.3. */
public enum QueryLevel {
    PATIENT, STUDY, SERIES, IMAGE;

    /** The level named by a Query/Retrieve Level value, or null for an unknown one. */
    public static QueryLevel of(String value) {
        if (value == null) {
            return null;
        }
        for (QueryLevel level : values()) {
            if (level.name().equals(value.trim())) {
                return level;
            }
        }
        return null;
    }
}
