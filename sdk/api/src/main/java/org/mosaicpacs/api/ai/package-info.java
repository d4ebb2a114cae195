/**
 * AI connectors: the SPI through which an algorithm (in process, or an external inference service)
 * receives a study and hands back its results.
 *
 * <p>An {@link org.mosaicpacs.api.ai.AiConnector} is a whiteboard service carrying
 * {@value org.mosaicpacs.api.ai.AiConnector#NAME_PROPERTY} and, optionally, the criteria of its own
 * default rule (set both with {@link org.mosaicpacs.api.ai.AiConnectorProperties}). The AI
 * pipeline of the product listens for {@link org.mosaicpacs.api.archive.ArchiveEvents#STUDY_STABLE},
 * selects connectors by rules (modality, body part, SOP class, calling AE), queues one durable job
 * per study and connector, calls {@link org.mosaicpacs.api.ai.AiConnector#process} on a worker thread
 * with retries and back-off, and stores the returned objects in the same study through the
 * {@link org.mosaicpacs.api.archive.Archive}, where QIDO-RS, WADO-RS and C-FIND find them like any
 * other object. {@link org.mosaicpacs.api.ai.AiEvents} announce finished and failed jobs.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api.ai;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
