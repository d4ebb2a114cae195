/**
 * The archive index: what is stored where, and the queries C-FIND, QIDO-RS and the worklist run.
 *
 * <p>One implementation ({@code index-jdbc}) serves both Derby and PostgreSQL; the matching rules
 * of PS3.4 C.2.2.2 live in it once, so C-FIND and QIDO-RS give the same answers.
 *
 * <p>1.2: rejected instances are remembered ({@link org.mosaicpacs.api.index.Rejection}).
 */
@Export
@Version("1.2.0")
package org.mosaicpacs.api.index;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
