package org.mosaicpacs.archive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tags;

/**
 * One attribute coercion rule from configuration, applied to objects as they arrive.
 *
 * <p>Syntax: {@code [AE|]Keyword=value} sets the attribute, {@code [AE|]Keyword?=value} sets it
 * only when it is absent or empty, {@code [AE|]-Keyword} removes it. {@code AE} is a calling AE
 * title, {@code *} and {@code ?} allowed; without it the rule applies to every source.
 * Only top-level attributes of groups 0008 to 0020 (identification: patient, study, series,
 * equipment) can be coerced: the archive stores the rest of the object as received, byte for byte.
 * Examples: {@code IssuerOfPatientID?=HOSP_A}, {@code CT_WEST|InstitutionName=West Wing}, {@code -OtherPatientIDs}.
 */
record CoercionRule(Pattern callingAe, int tag, String keyword, Action action, String value) {

    /** What a rule does. */
    enum Action { SET, SET_IF_ABSENT, REMOVE }

    /** The highest tag a rule may name: identification groups only (see class comment). */
    static final int LAST_COERCIBLE_TAG = 0x0020FFFF;

    static CoercionRule parse(String text) {
        String rule = text.trim();
        Pattern ae = null;
        int bar = rule.indexOf('|');
        if (bar >= 0) {
            ae = Pattern.compile(wildcard(rule.substring(0, bar).trim()));
            rule = rule.substring(bar + 1).trim();
        }
        Action action;
        String keyword;
        String value = null;
        if (rule.startsWith("-")) {
            action = Action.REMOVE;
            keyword = rule.substring(1).trim();
        } else {
            int eq = rule.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("coercion rule '" + text + "' is not [AE|]Keyword=value, "
                        + "[AE|]Keyword?=value or [AE|]-Keyword");
            }
            boolean ifAbsent = rule.charAt(eq - 1) == '?';
            action = ifAbsent ? Action.SET_IF_ABSENT : Action.SET;
            keyword = rule.substring(0, ifAbsent ? eq - 1 : eq).trim();
            value = rule.substring(eq + 1).trim();
        }
        DictionaryEntry entry = ElementDictionary.lookup(keyword);
        if (entry == null) {
            throw new IllegalArgumentException("coercion rule '" + text + "': unknown keyword '" + keyword + "'");
        }
        int tag = entry.tag();
        if (Integer.compareUnsigned(tag, LAST_COERCIBLE_TAG) > 0 || Integer.compareUnsigned(tag, 0x00080000) < 0) {
            throw new IllegalArgumentException("coercion rule '" + text + "': " + keyword + " " + Tags.toString(tag)
                    + " is outside groups 0008-0020, which are the only ones the archive can coerce");
        }
        return new CoercionRule(ae, tag, keyword, action, value);
    }

    private static String wildcard(String aePattern) {
        StringBuilder re = new StringBuilder();
        for (char c : aePattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    static List<CoercionRule> parseAll(String[] texts) {
        List<CoercionRule> rules = new ArrayList<>();
        for (String t : texts) {
            if (t != null && !t.isBlank()) {
                rules.add(parse(t));
            }
        }
        return List.copyOf(rules);
    }

    /**
     * Applies the rule to the data set if it matches the sender.
     *
     * @return a description of the change for the warning list, or null if nothing changed
     */
    String apply(DataSet dataSet, String callingAeTitle) {
        if (callingAe != null && (callingAeTitle == null || !callingAe.matcher(callingAeTitle).matches())) {
            return null;
        }
        String before = dataSet.contains(tag) ? String.join("\\", nullToEmpty(dataSet.getStrings(tag))) : null;
        switch (action) {
            case REMOVE -> {
                if (!dataSet.remove(tag)) {
                    return null;
                }
                return keyword + " removed";
            }
            case SET_IF_ABSENT -> {
                if (before != null && !before.isEmpty()) {
                    return null;
                }
            }
            case SET -> {
                if (value.equals(before)) {
                    return null;
                }
            }
            default -> throw new IllegalStateException(action.toString());
        }
        dataSet.setString(tag, value.split("\\\\", -1));
        return keyword + " coerced";
    }

    private static String[] nullToEmpty(String[] values) {
        return values == null ? new String[0] : values;
    }
}
