package org.mosaicpacs.dicom.net;

import java.net.InetSocketAddress;

/**
 * The acceptor's User Identity policy (PS3.7 D.3.3.7). Without one, the User Identity item is
 * ignored, as PS3.7 allows an acceptor that does not support it.
 */
@FunctionalInterface
public interface UserIdentityNegotiator {

    /**
     * Checks a requestor's identity.
     *
     * @return the server response to return when a positive response was requested (e.g. a
     *         Kerberos server ticket or SAML response), or null for none
     * @throws SecurityException to reject the association (permanent, service-user, no reason given)
     */
    byte[] negotiate(UserIdentity identity, String callingAeTitle, InetSocketAddress from);
}
