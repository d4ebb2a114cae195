package org.mosaicpacs.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Creates UIDs that are always valid (PS3.5 9.1: at most 64 characters, digits and dots, no
 * component with a leading zero): by default {@code 2.25.} followed by a random UUID as an
 * unsigned decimal integer (PS3.5 B.2), or under an organisation's root followed by as many
 * random decimal digits as fit. Thread-safe.
 */
public final class UidGenerator {

    /** The longest root accepted: leaves at least 23 random digits (76 bits) for the suffix. */
    public static final int MAX_ROOT_LENGTH = 40;

    private static final UidGenerator UUID_DERIVED = new UidGenerator(null);

    private final String root;

    private UidGenerator(String root) {
        this.root = root;
    }

    /** The {@code 2.25.<UUID>} generator. */
    public static UidGenerator uuidDerived() {
        return UUID_DERIVED;
    }

    /**
     * A generator under an organisation's UID root, e.g. "1.2.826.0.1.3680043.10.1234".
     *
     * @throws IllegalArgumentException if the root is not a valid UID or longer than {@value #MAX_ROOT_LENGTH}
     */
    public static UidGenerator withRoot(String root) {
        if (!isValid(root) || root.length() > MAX_ROOT_LENGTH) {
            throw new IllegalArgumentException("not a valid UID root of at most " + MAX_ROOT_LENGTH + " characters: "
                    + root);
        }
        return new UidGenerator(root);
    }

    /** A new UID from {@link #uuidDerived()}. */
    public static String newUid() {
        return UUID_DERIVED.createUid();
    }

    /** A new, unique UID. */
    public String createUid() {
        BigInteger random = unsigned(UUID.randomUUID());
        if (root == null) {
            return "2.25." + random;
        }
        int digits = 64 - root.length() - 1;
        String suffix = random.mod(BigInteger.TEN.pow(digits)).toString();
        return root + "." + (suffix.equals("0") ? "1" : suffix);
    }

    /** The UUID as an unsigned 128-bit integer (PS3.5 B.2). */
    public static BigInteger unsigned(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return new BigInteger(1, b.array());
    }

    /** True if the text is a valid UID: 1-64 characters, components of digits without leading zeros. */
    public static boolean isValid(String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > 64) {
            return false;
        }
        int start = 0;
        while (true) {
            int dot = uid.indexOf('.', start);
            int end = dot < 0 ? uid.length() : dot;
            if (end == start || uid.charAt(start) == '0' && end - start > 1) {
                return false;
            }
            for (int i = start; i < end; i++) {
                if (uid.charAt(i) < '0' || uid.charAt(i) > '9') {
                    return false;
                }
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }
}
