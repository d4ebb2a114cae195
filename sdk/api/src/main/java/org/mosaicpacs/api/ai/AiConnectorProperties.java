package org.mosaicpacs.api.ai;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for {@link AiConnector} services:
 * {@code @AiConnectorProperties(name = "lung-segmentation", modality = "CT")} on the DS component
 * sets {@value AiConnector#NAME_PROPERTY} and the default rule properties. A component's
 * configuration can override each of them (for example {@code mosaic.ai.modality=CT,PT} in its
 * {@code .cfg} file), so admins change what a connector runs on without rebuilding it.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AiConnectorProperties {

    /** Prefix that turns the element names into {@code mosaic.ai.*} property names. */
    String PREFIX_ = "mosaic.ai.";

    /** The connector's name ({@value AiConnector#NAME_PROPERTY}). */
    String name();

    /** Modalities of the default rule ({@value AiConnector#MODALITY_PROPERTY}); empty: any. */
    String[] modality() default {};

    /** Body parts of the default rule ({@value AiConnector#BODY_PART_PROPERTY}); empty: any. */
    String[] bodypart() default {};

    /** SOP Class UIDs of the default rule ({@value AiConnector#SOP_CLASS_PROPERTY}); empty: any. */
    String[] sopclass() default {};

    /** Calling AE titles of the default rule ({@value AiConnector#CALLING_AE_PROPERTY}); empty: any. */
    String[] callingaet() default {};
}
