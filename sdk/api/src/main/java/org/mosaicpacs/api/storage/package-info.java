/**
 * Storage backends: where the archive keeps the bytes of stored objects.
 *
 * <p>A backend is a {@link org.mosaicpacs.api.storage.StorageBackend} service carrying
 * {@value org.mosaicpacs.api.storage.StorageBackend#ID_PROPERTY} (use
 * {@link org.mosaicpacs.api.storage.StorageBackendProperties}). The archive configuration names
 * the backend that receives new objects; the index records, for every object, the id of the
 * backend holding it and the backend's key for it, so objects stay readable when the default
 * backend changes.
 */
@Export
@Version("1.2.0")
package org.mosaicpacs.api.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
