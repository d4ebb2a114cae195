package org.mosaicpacs.dicom.net;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * User Identity Negotiation sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7).
 *
 * @param type {@link #USERNAME}, {@link #USERNAME_AND_PASSCODE}, {@link #KERBEROS}, {@link #SAML} or {@link #JWT}
 * @param positiveResponseRequested the requestor wants a server response in the A-ASSOCIATE-AC
 * @param primaryField user name, Kerberos ticket, SAML assertion or JSON Web Token (copied)
 * @param secondaryField the passcode for {@link #USERNAME_AND_PASSCODE}, else empty (copied)
 */
public record UserIdentity(int type, boolean positiveResponseRequested, byte[] primaryField, byte[] secondaryField) {

    /** Username as a UTF-8 string. */
    public static final int USERNAME = 1;
    /** Username and passcode. */
    public static final int USERNAME_AND_PASSCODE = 2;
    /** Kerberos service ticket. */
    public static final int KERBEROS = 3;
    /** SAML assertion. */
    public static final int SAML = 4;
    /** JSON Web Token. */
    public static final int JWT = 5;

    public UserIdentity {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("user identity type must be 1..255, is " + type);
        }
        primaryField = primaryField.clone();
        secondaryField = secondaryField == null ? new byte[0] : secondaryField.clone();
        if (primaryField.length > 0xFFFF || secondaryField.length > 0xFFFF) {
            throw new IllegalArgumentException("user identity fields are limited to 65535 bytes");
        }
    }

    /** A user name identity. */
    public static UserIdentity username(String user, boolean positiveResponseRequested) {
        return new UserIdentity(USERNAME, positiveResponseRequested, user.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A user name and passcode identity. */
    public static UserIdentity usernameAndPasscode(String user, String passcode, boolean positiveResponseRequested) {
        return new UserIdentity(USERNAME_AND_PASSCODE, positiveResponseRequested,
                user.getBytes(StandardCharsets.UTF_8), passcode.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON Web Token identity. */
    public static UserIdentity jwt(String token, boolean positiveResponseRequested) {
        return new UserIdentity(JWT, positiveResponseRequested, token.getBytes(StandardCharsets.UTF_8), null);
    }

    @Override
    public byte[] primaryField() {
        return primaryField.clone();
    }

    @Override
    public byte[] secondaryField() {
        return secondaryField.clone();
    }

    /** The primary field as UTF-8 text (user name, JWT). */
    public String primaryText() {
        return new String(primaryField, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentity u && type == u.type && positiveResponseRequested == u.positiveResponseRequested
                && Arrays.equals(primaryField, u.primaryField) && Arrays.equals(secondaryField, u.secondaryField);
    }

    @Override
    public int hashCode() {
        return (type * 31 + Arrays.hashCode(primaryField)) * 31 + Arrays.hashCode(secondaryField);
    }

    /** Never prints the secret fields. */
    @Override
    public String toString() {
        return "UserIdentity[type=" + type + ", positiveResponseRequested=" + positiveResponseRequested + "]";
    }
}
