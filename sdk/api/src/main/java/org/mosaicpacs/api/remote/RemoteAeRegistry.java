package org.mosaicpacs.api.remote;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The remote AEs configured right now. Each is a factory configuration
 * ({@code org.mosaicpacs.remote.ae~<name>}), so an admin adds, changes or removes one from the
 * Karaf shell ({@code mosaic:ae-add}, {@code config:edit}) or the REST API without a restart.
 *
 * <p>Threading: safe for concurrent use; lookups see configuration changes at once.
 */
@ProviderType
public interface RemoteAeRegistry {

    /** The remote AE with this AE title (exact, after trimming spaces), if configured. */
    Optional<RemoteAe> find(String aeTitle);

    /** Every configured remote AE, ordered by AE title. */
    List<RemoteAe> all();
}
