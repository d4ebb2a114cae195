/**
 * The Modality Worklist: scheduled procedure steps kept in the index database (PS3.4 K.6).
 *
 * <p>A {@link org.mosaicpacs.api.worklist.WorklistStore} service holds the items; the Modality
 * Worklist SCP (C-FIND, PS3.4 K), the REST resource {@code /api/worklist} and the shell commands
 * read and change them through it, and the MPPS SCP moves the Scheduled Procedure Step Status of
 * an item when a performed step starts or ends. Changes are announced on EventAdmin under the
 * topics of {@link org.mosaicpacs.api.worklist.WorklistEvents}.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api.worklist;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
