package org.mosaicpacs.dicomweb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mosaicpacs.dicom.UID;

/**
 * Media types of PS3.18 (Tables 8.7.3-1 to 8.7.3-5) and the parsing of Accept headers as
 * clients really send them: parameters quoted or not ({@code type=application/dicom} and
 * {@code type="application/dicom"}), several ranges in one header or in several headers, quality
 * values, and the {@code accept} query parameter (PS3.18 8.3.3.1) instead of the header.
 */
final class MediaTypes {

    static final String DICOM = "application/dicom";
    static final String DICOM_JSON = "application/dicom+json";
    static final String DICOM_XML = "application/dicom+xml";
    static final String OCTET_STREAM = "application/octet-stream";
    static final String MULTIPART_RELATED = "multipart/related";
    static final String JSON = "application/json";
    static final String JPEG = "image/jpeg";
    static final String PNG = "image/png";

    /** Transfer syntax parameter value meaning "as stored" (PS3.18 8.7.3.5.2). */
    static final String ANY_SYNTAX = "*";

    /** The compressed single-frame media types, each with its default and permitted transfer syntaxes (Table 8.7.3-3). */
    private static final Map<String, List<String>> FRAME_TYPES = new LinkedHashMap<>();

    static {
        FRAME_TYPES.put(OCTET_STREAM, List.of(UID.ExplicitVRLittleEndian));
        FRAME_TYPES.put(JPEG, List.of("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
                "1.2.840.10008.1.2.4.70"));
        FRAME_TYPES.put("image/jls", List.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"));
        FRAME_TYPES.put("image/jp2", List.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"));
        FRAME_TYPES.put("image/jpx", List.of("1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93"));
        FRAME_TYPES.put("image/jphc", List.of("1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202",
                "1.2.840.10008.1.2.4.203"));
        FRAME_TYPES.put("image/dicom-rle", List.of(UID.RLELossless));
        FRAME_TYPES.put("image/x-dicom-rle", List.of(UID.RLELossless));
    }

    /** Uncompressed syntaxes: their frames are {@code application/octet-stream}. */
    private static final Set<String> UNCOMPRESSED = Set.of(UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian,
            UID.DeflatedExplicitVRLittleEndian, "1.2.840.10008.1.2.2");

    private MediaTypes() {
    }

    /**
     * One media range of an Accept header.
     *
     * @param type    lower-case type, {@code *} for any
     * @param subtype lower-case subtype, {@code *} for any
     * @param params  parameters, names lower case, values unquoted
     * @param q       quality value
     */
    record Range(String type, String subtype, Map<String, String> params, double q) {

        String mediaType() {
            return type + "/" + subtype;
        }

        boolean matches(String mediaType) {
            int slash = mediaType.indexOf('/');
            String t = mediaType.substring(0, slash);
            String s = mediaType.substring(slash + 1);
            return ("*".equals(type) || type.equals(t)) && ("*".equals(subtype) || subtype.equals(s));
        }

        boolean isWildcard() {
            return "*".equals(type) || "*".equals(subtype);
        }

        String param(String name) {
            return params.get(name);
        }
    }

    /**
     * The ranges a request accepts, best first (by q, then in the order given). The {@code accept}
     * query parameter, when present, replaces the header. No header at all accepts everything.
     *
     * @throws DicomWebException 400 for a range that is not {@code type/subtype}
     */
    static List<Range> accepted(List<String> headerValues, List<String> acceptParameter) {
        List<String> values = acceptParameter != null && !acceptParameter.isEmpty() ? acceptParameter : headerValues;
        List<Range> ranges = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : splitOutsideQuotes(value, ',')) {
                    if (!part.isBlank()) {
                        ranges.add(parseRange(part));
                    }
                }
            }
        }
        if (ranges.isEmpty()) {
            ranges.add(new Range("*", "*", Map.of(), 1.0));
        }
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingDouble(Range::q).reversed());
        return Collections.unmodifiableList(sorted);
    }

    static Range parseRange(String text) {
        List<String> pieces = splitOutsideQuotes(text, ';');
        String mediaType = pieces.get(0).strip().toLowerCase(Locale.ROOT);
        int slash = mediaType.indexOf('/');
        if (slash <= 0 || slash == mediaType.length() - 1) {
            if ("*".equals(mediaType)) { // seen from some clients: read as */*
                mediaType = "*/*";
                slash = 1;
            } else {
                throw DicomWebException.badRequest("malformed media range in Accept: \"" + text.strip() + "\"");
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        double q = 1.0;
        for (int i = 1; i < pieces.size(); i++) {
            String p = pieces.get(i).strip();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = unquote(p.substring(eq + 1).strip());
            if ("q".equals(name)) {
                try {
                    q = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    throw DicomWebException.badRequest("malformed quality value in Accept: \"" + text.strip() + "\"");
                }
            } else {
                params.put(name, "type".equals(name) ? value.toLowerCase(Locale.ROOT) : value);
            }
        }
        return new Range(mediaType.substring(0, slash), mediaType.substring(slash + 1), params, q);
    }

    /** A parameter value without its quotes and backslash escapes (RFC 9110 quoted-string). */
    static String unquote(String value) {
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < value.length() - 1; i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length() - 1) {
                    c = value.charAt(++i);
                }
                b.append(c);
            }
            return b.toString();
        }
        return value;
    }

    static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /**
     * The transfer syntaxes acceptable for parts of {@code partType} (e.g. application/dicom) in a
     * multipart/related response, best first; {@link #ANY_SYNTAX} stands for "as stored". Ranges
     * {@code multipart/related} without type, {@code *}{@code /*} and the bare part type count too.
     *
     * @param defaultSyntax the syntax of a range without transfer-syntax parameter
     * @return empty if no range accepts such parts
     */
    static List<String> acceptedSyntaxes(List<Range> ranges, String partType, String defaultSyntax) {
        List<String> syntaxes = new ArrayList<>();
        for (Range r : ranges) {
            if (r.q() <= 0) {
                continue;
            }
            String type;
            if ("multipart".equals(r.type()) && ("related".equals(r.subtype()) || "*".equals(r.subtype()))) {
                type = r.param("type") != null ? r.param("type") : partType;
            } else if ("*".equals(r.type())) {
                type = partType; // */*: the resource's default part type
            } else {
                type = r.mediaType(); // the bare part type, as some clients send it
            }
            if (!typeMatches(type, partType)) {
                continue;
            }
            String ts = r.param("transfer-syntax");
            String syntax = ts != null ? ts.strip() : defaultSyntax;
            if (!syntaxes.contains(syntax)) {
                syntaxes.add(syntax);
            }
        }
        return syntaxes;
    }

    /** Whether a media type pattern such as {@code image/*} covers a media type. */
    static boolean typeMatches(String pattern, String mediaType) {
        int slash = pattern.indexOf('/');
        if (slash < 0) {
            return false;
        }
        return parseRange(pattern).matches(mediaType);
    }

    /** The media types of single frames with their permitted syntaxes (default first). */
    static Map<String, List<String>> frameTypes() {
        return Collections.unmodifiableMap(FRAME_TYPES);
    }

    /** The media type a frame in this transfer syntax is labelled with. */
    static String frameMediaType(String transferSyntaxUid) {
        if (UNCOMPRESSED.contains(transferSyntaxUid)) {
            return OCTET_STREAM;
        }
        for (Map.Entry<String, List<String>> e : FRAME_TYPES.entrySet()) {
            if (!e.getKey().equals(OCTET_STREAM) && !e.getKey().startsWith("image/x-")
                    && e.getValue().contains(transferSyntaxUid)) {
                return e.getKey();
            }
        }
        return OCTET_STREAM;
    }

    static boolean isUncompressed(String transferSyntaxUid) {
        return UNCOMPRESSED.contains(transferSyntaxUid);
    }

    /** The first of {@code offered} that a range accepts (for single-part answers: JSON, images). */
    static Optional<String> select(List<Range> ranges, List<String> offered) {
        for (Range r : ranges) {
            if (r.q() <= 0) {
                continue;
            }
            for (String type : offered) {
                if (r.matches(type)) {
                    return Optional.of(type);
                }
            }
        }
        return Optional.empty();
    }

    /** A Content-Type parameter value, quoted (PS3.18 shows type and transfer-syntax quoted where needed). */
    static String quoted(String value) {
        return "\"" + value + "\"";
    }
}
