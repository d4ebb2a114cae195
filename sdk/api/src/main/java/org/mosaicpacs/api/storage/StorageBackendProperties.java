package org.mosaicpacs.api.storage;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for {@link StorageBackend} services: {@code @StorageBackendProperties(id = "fs")}
 * sets {@value StorageBackend#ID_PROPERTY}. A backend configured by ConfigAdmin sets the same
 * property from its configuration instead.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StorageBackendProperties {

    /** Prefix that turns {@code id} into {@value StorageBackend#ID_PROPERTY}. */
    String PREFIX_ = "mosaic.storage.";

    /** The backend's id. */
    String id();
}
