package org.mosaicpacs.api.remote;

import java.util.Objects;

/**
 * A remote DICOM node as configured by an admin.
 *
 * @param aeTitle     its AE title (1 to 16 characters, no backslash or control characters)
 * @param host        host name or address
 * @param port        TCP port
 * @param tls         whether associations to it use DICOM TLS
 * @param description free text for the admin (site, modality), may be empty
 */
public record RemoteAe(String aeTitle, String host, int port, boolean tls, String description) {

    public RemoteAe {
        Objects.requireNonNull(aeTitle, "aeTitle");
        Objects.requireNonNull(host, "host");
        String ae = aeTitle.trim();
        if (ae.isEmpty() || ae.length() > 16 || ae.chars().anyMatch(c -> c < 0x20 || c == '\\' || c > 0x7e)) {
            throw new IllegalArgumentException("not a valid AE title (1-16 printable characters, no backslash): '"
                    + aeTitle + "'");
        }
        aeTitle = ae;
        if (host.isBlank()) {
            throw new IllegalArgumentException("host of " + ae + " must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + ae + " must be 1-65535, not " + port);
        }
        description = description == null ? "" : description;
    }
}
