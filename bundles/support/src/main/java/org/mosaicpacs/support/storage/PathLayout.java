package org.mosaicpacs.support.storage;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mosaicpacs.api.storage.ObjectDescriptor;

/**
 * Turns an object's identity into a relative path from a pattern such as
 * {@code {study}/{series}/{sop}.dcm} or {@code {yyyy}/{MM}/{dd}/{study}/{sop}.dcm}: a file below a
 * filesystem backend's root, or an object key below an S3 backend's prefix.
 *
 * <p>Tokens: {@code {study}}, {@code {series}}, {@code {sop}} (the UIDs), {@code {yyyy}},
 * {@code {MM}}, {@code {dd}}, {@code {HH}} (the receive time in UTC) and {@code {hash}} (two hex
 * digits derived from the SOP Instance UID, to spread files over 256 folders).
 */
public final class PathLayout {

    private static final Pattern TOKEN = Pattern.compile("\\{([A-Za-z]+)}");
    private static final List<String> KNOWN = List.of("study", "series", "sop", "yyyy", "MM", "dd", "HH", "hash");
    /** UIDs are digits and dots (PS3.5 9.1); anything else must not reach a file name. */
    private static final Pattern UID = Pattern.compile("[0-9.]{1,64}");

    private final String pattern;

    public PathLayout(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("path pattern must not be empty");
        }
        if (pattern.startsWith("/") || pattern.contains("..") || pattern.contains("\\")) {
            throw new IllegalArgumentException("path pattern must be relative without '..' or '\\': " + pattern);
        }
        Matcher m = TOKEN.matcher(pattern);
        List<String> tokens = new ArrayList<>();
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                throw new IllegalArgumentException("unknown token {" + m.group(1) + "} in path pattern " + pattern
                        + "; known: " + KNOWN);
            }
            tokens.add(m.group(1));
        }
        if (!tokens.contains("sop")) {
            throw new IllegalArgumentException("path pattern must contain {sop} so that objects do not collide: " + pattern);
        }
        this.pattern = pattern;
    }

    public String pathFor(ObjectDescriptor object) {
        ZonedDateTime t = object.received().atZone(ZoneOffset.UTC);
        Matcher m = TOKEN.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "study" -> uid(object.studyInstanceUid(), "Study Instance UID");
                case "series" -> uid(object.seriesInstanceUid(), "Series Instance UID");
                case "sop" -> uid(object.sopInstanceUid(), "SOP Instance UID");
                case "yyyy" -> String.format("%04d", t.getYear());
                case "MM" -> String.format("%02d", t.getMonthValue());
                case "dd" -> String.format("%02d", t.getDayOfMonth());
                case "HH" -> String.format("%02d", t.getHour());
                case "hash" -> String.format("%02x", object.sopInstanceUid().hashCode() & 0xff);
                default -> throw new IllegalStateException(m.group(1));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String uid(String value, String what) {
        if (!UID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " is not a valid UID for a file name: '" + value + "'");
        }
        return value;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
