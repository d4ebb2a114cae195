package org.mosaicpacs.dicom.net.handler;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for {@link DimseHandler} services:
 * {@code @DimseHandlerProperties(sopclass = UID.Verification)} on the DS component sets
 * {@value DimseHandler#SOP_CLASS_PROPERTY} and {@value DimseHandler#ROLE_PROPERTY}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DimseHandlerProperties {

    /** Prefix that turns the element names into {@code mosaic.dimse.*} property names. */
    String PREFIX_ = "mosaic.dimse.";

    /** SOP Class UIDs the handler serves ({@value DimseHandler#SOP_CLASS_PROPERTY}). */
    String[] sopclass();

    /** The role ({@value DimseHandler#ROLE_PROPERTY}); only {@value DimseHandler#ROLE_SCP} is defined. */
    String role() default DimseHandler.ROLE_SCP;

    /**
     * Transfer syntaxes accepted for received data ({@value DimseHandler#TRANSFER_SYNTAX_PROPERTY});
     * empty means every syntax the node supports.
     */
    String[] transfersyntax() default {};
}
