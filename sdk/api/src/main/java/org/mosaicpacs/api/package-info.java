/**
 * Mosaic PACS service contracts shared by the product's bundles and by vendor plugins.
 *
 * <p>Names of the service properties and event topics that every plugin uses live here so that no
 * plugin spells a raw property string.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
