package org.mosaicpacs.api.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for {@link TransferSyntaxCodec} services:
 * {@code @CodecProperties(transfersyntax = {"1.2.840.10008.1.2.5"})} on the DS component sets
 * {@value TransferSyntaxCodec#TRANSFER_SYNTAX_PROPERTY}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface CodecProperties {

    /** Prefix that turns {@code transfersyntax} into {@value TransferSyntaxCodec#TRANSFER_SYNTAX_PROPERTY}. */
    String PREFIX_ = "mosaic.codec.";

    /** Transfer syntax UIDs the codec handles. */
    String[] transfersyntax();
}
