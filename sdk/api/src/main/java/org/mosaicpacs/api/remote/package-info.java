/**
 * Remote Application Entities the archive talks to as an SCU: C-MOVE destinations, Storage
 * Commitment requesters reached on a new association, routing and forwarding targets.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api.remote;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
