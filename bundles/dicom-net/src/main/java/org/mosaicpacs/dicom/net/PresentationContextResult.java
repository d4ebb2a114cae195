package org.mosaicpacs.dicom.net;

import java.util.Objects;

/**
 * The answer to one proposed presentation context in an A-ASSOCIATE-AC (PS3.8 9.3.3.2).
 *
 * @param id the identifier of the proposed context this answers
 * @param result {@link #ACCEPTANCE} or one of the rejection reasons below
 * @param transferSyntax the accepted transfer syntax; not significant when rejected
 */
public record PresentationContextResult(int id, int result, String transferSyntax) {

    /** Accepted. */
    public static final int ACCEPTANCE = 0;
    /** Rejected by the user (the acceptor's application). */
    public static final int USER_REJECTION = 1;
    /** Rejected by the provider, no reason given. */
    public static final int NO_REASON = 2;
    /** The abstract syntax (SOP class) is not supported. */
    public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    /** None of the proposed transfer syntaxes is supported. */
    public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    public PresentationContextResult {
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("presentation context ID must be 1..255, is " + id);
        }
        if (result < 0 || result > 4) {
            throw new IllegalArgumentException("presentation context result must be 0..4, is " + result);
        }
        Objects.requireNonNull(transferSyntax, "transferSyntax");
    }

    /** True if the context was accepted. */
    public boolean accepted() {
        return result == ACCEPTANCE;
    }

    /** The result as PS3.8 Table 9-18 names it. */
    public static String describe(int result) {
        return switch (result) {
            case ACCEPTANCE -> "acceptance";
            case USER_REJECTION -> "user-rejection";
            case NO_REASON -> "no-reason (provider rejection)";
            case ABSTRACT_SYNTAX_NOT_SUPPORTED -> "abstract-syntax-not-supported (provider rejection)";
            case TRANSFER_SYNTAXES_NOT_SUPPORTED -> "transfer-syntaxes-not-supported (provider rejection)";
            default -> "unknown result " + result;
        };
    }
}
