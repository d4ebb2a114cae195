package org.mosaicpacs.archive.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidEntry;
import org.mosaicpacs.dicom.UidRegistry;

/**
 * Which received images are stored compressed, validated.
 *
 * @param targetTransferSyntaxUid the syntax images are stored in; null: the policy is off
 * @param modalities              Modality (0008,0060) values it applies to; empty: every modality
 * @param minimumPixelDataBytes   smaller Pixel Data is stored as received
 * @param allowLossy              the target may be a lossy syntax
 * @param verify                  every compressed frame is decoded and compared with the received
 *                                one before the compressed object is stored (lossless targets)
 */
record CompressionPolicy(String targetTransferSyntaxUid, Set<String> modalities, long minimumPixelDataBytes,
                         boolean allowLossy, boolean verify) {

    static final CompressionPolicy OFF = new CompressionPolicy(null, Set.of(), 0, false, true);

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    CompressionPolicy {
        modalities = Set.copyOf(modalities);
        if (minimumPixelDataBytes < 0) {
            throw new IllegalArgumentException("compressOnIngestMinimumKiB must not be negative");
        }
    }

    /**
     * Reads the configuration. A lossy target without {@code allowLossy}, a retired or unknown
     * syntax and an uncompressed one are refused with a message that says what to set instead.
     *
     * @param target a Transfer Syntax UID or keyword (PS3.6 Table A-1), or blank for off
     */
    static CompressionPolicy of(String target, String[] modalities, long minimumKiB, boolean allowLossy,
                                boolean verify) {
        if (target == null || target.isBlank()) {
            return OFF;
        }
        String value = target.strip();
        UidEntry entry = UID.matcher(value).matches() ? UidRegistry.lookup(value) : UidRegistry.lookupKeyword(value);
        if (entry == null || !UidEntry.TRANSFER_SYNTAX.equals(entry.type())) {
            throw new IllegalArgumentException("compressOnIngest: '" + value + "' is not a Transfer Syntax UID or "
                    + "keyword of PS3.6, e.g. 1.2.840.10008.1.2.4.80 or JPEGLSLossless");
        }
        String uid = entry.uid();
        if (entry.retired()) {
            throw new IllegalArgumentException("compressOnIngest: " + entry.name() + " is retired; peers need not "
                    + "accept it. Choose e.g. 1.2.840.10008.1.2.4.80 (JPEG-LS Lossless)");
        }
        if (!TransferSyntax.of(uid).encapsulated()) {
            throw new IllegalArgumentException("compressOnIngest: " + entry.name() + " is not a compressed "
                    + "(encapsulated) transfer syntax");
        }
        if (Transcoding.isLossy(uid) && !allowLossy) {
            throw new IllegalArgumentException("compressOnIngest: " + entry.name() + " is lossy: the archive would "
                    + "keep only a degraded copy of every image it receives. Choose a lossless syntax such as "
                    + "1.2.840.10008.1.2.4.80 (JPEG-LS Lossless), or set compressOnIngestAllowLossy=true to accept "
                    + "the loss");
        }
        // A .cfg file gives "CT,MR" as one string: split it (Modality values never hold a comma or space).
        Set<String> wanted = Arrays.stream(modalities == null ? new String[0] : modalities)
                .flatMap(m -> Arrays.stream(m.split("[,\\s]+"))).filter(m -> !m.isEmpty())
                .map(m -> m.toUpperCase(Locale.ROOT)) // CS values are upper case (PS3.5 6.2)
                .collect(Collectors.toUnmodifiableSet());
        return new CompressionPolicy(uid, wanted, minimumKiB * 1024, allowLossy, verify);
    }

    boolean enabled() {
        return targetTransferSyntaxUid != null;
    }

    /** True if a lossy target was configured (and allowed). */
    boolean lossy() {
        return enabled() && Transcoding.isLossy(targetTransferSyntaxUid);
    }

    /** Whether an object of this Modality (null if absent) may be compressed. */
    boolean appliesTo(String modality) {
        return modalities.isEmpty() || modality != null && modalities.contains(modality.strip());
    }

    /** For the activation log: what the policy does, without patient data. */
    String describe() {
        if (!enabled()) {
            return "off";
        }
        return UidRegistry.nameOf(targetTransferSyntaxUid) + (modalities.isEmpty() ? " for every modality"
                : " for " + String.join(", ", modalities.stream().sorted().toList()))
                + (minimumPixelDataBytes > 0 ? ", Pixel Data of " + minimumPixelDataBytes / 1024 + " KiB or more" : "")
                + (verify && !lossy() ? ", verified by decoding" : "");
    }
}
