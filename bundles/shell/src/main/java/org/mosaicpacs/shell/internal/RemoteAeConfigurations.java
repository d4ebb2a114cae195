package org.mosaicpacs.shell.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.config.core.ConfigRepository;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Remote AE factory configurations as the shell commands create and delete them, through Karaf's
 * configuration repository so that each one is also a file in {@code etc/}
 * ({@code org.mosaicpacs.remote.ae-<name>.cfg}) that an admin can read, back up and edit.
 */
final class RemoteAeConfigurations {

    /** Factory PID the remote-ae bundle reads (its RemoteAeDefinition component). */
    static final String FACTORY_PID = "org.mosaicpacs.remote.ae";

    private RemoteAeConfigurations() {
    }

    /** The configuration defining this AE title, if any. */
    static Optional<Configuration> find(ConfigurationAdmin cm, String aeTitle) throws IOException, InvalidSyntaxException {
        Configuration[] all = cm.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        if (all == null) {
            return Optional.empty();
        }
        for (Configuration c : all) {
            Object ae = c.getProperties() == null ? null : c.getProperties().get("aeTitle");
            if (ae != null && ae.toString().trim().equals(aeTitle.trim())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Creates or replaces the configuration for an AE title. */
    static void put(ConfigRepository repository, String aeTitle, String host, int port, boolean tls, String description)
            throws IOException, InvalidSyntaxException {
        Map<String, Object> props = new HashMap<>();
        props.put("aeTitle", aeTitle.trim());
        props.put("host", host);
        props.put("port", port);
        props.put("tls", tls);
        props.put("description", description == null ? "" : description);
        Optional<Configuration> existing = find(repository.getConfigAdmin(), aeTitle);
        if (existing.isPresent()) {
            repository.update(existing.get().getPid(), props);
        } else {
            String alias = aeTitle.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
            repository.createFactoryConfiguration(FACTORY_PID, alias, props);
        }
    }

    /** Deletes the configuration (and its file) for an AE title; false if there was none. */
    static boolean delete(ConfigRepository repository, String aeTitle) throws Exception {
        Optional<Configuration> existing = find(repository.getConfigAdmin(), aeTitle);
        if (existing.isEmpty()) {
            return false;
        }
        repository.delete(existing.get().getPid());
        return true;
    }
}
