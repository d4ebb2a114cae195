package org.mosaicpacs.api.codec;

/**
 * A frame could not be decoded or encoded: corrupt or truncated bit stream, or image parameters
 * the codec does not support. The message says which; callers fail that frame or instance only.
 */
public class CodecException extends Exception {

    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
