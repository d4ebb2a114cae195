/**
 * Modality Performed Procedure Step (PS3.4 F.7): what a modality reports it performed.
 *
 * <p>The MPPS SCP keeps each performed procedure step in the index database, links it to the
 * worklist items it was scheduled as and to the series it lists, and announces every change on
 * EventAdmin under the topics of {@link org.mosaicpacs.api.mpps.MppsEvents}: routing, reporting
 * and billing integrations react to a step that started, completed or was discontinued. Events
 * carry UIDs, the status, worklist item ids and AE titles, never patient data.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api.mpps;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
