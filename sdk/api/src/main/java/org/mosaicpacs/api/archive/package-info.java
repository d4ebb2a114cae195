/**
 * The archive facade and its events: storing objects durably and announcing what changed.
 *
 * <p>{@link org.mosaicpacs.api.archive.Archive} is the one way objects enter the archive, whatever
 * brought them (C-STORE, STOW-RS, a plugin writing an AI result). Events on EventAdmin under the
 * topics of {@link org.mosaicpacs.api.archive.ArchiveEvents} tell routing, AI connectors,
 * prefetch and audit what was stored or deleted; they carry UIDs, never pixel data.
 *
 * <p>1.1: {@code Archive.delete}, {@link org.mosaicpacs.api.archive.Deletion} and the deletion topics.
 * 1.2: {@link org.mosaicpacs.api.archive.ArchiveException.Reason#REJECTED_INSTANCE}.
 */
@Export
@Version("1.2.0")
package org.mosaicpacs.api.archive;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
