package org.mosaicpacs.remote.ae.internal;

import org.mosaicpacs.api.remote.RemoteAe;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One remote AE, one factory configuration {@code org.mosaicpacs.remote.ae~<name>}. DS creates an
 * instance per configuration and removes it when the configuration is deleted; the registry
 * collects the instances.
 */
@Component(service = RemoteAeDefinition.class, configurationPid = RemoteAeDefinition.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RemoteAeDefinition.Config.class, factory = true)
public class RemoteAeDefinition {

    /** Factory PID of remote AE configurations. */
    public static final String FACTORY_PID = "org.mosaicpacs.remote.ae";

    @ObjectClassDefinition(name = "Mosaic remote AE", description = "A DICOM node the archive sends to or answers on a new association.")
    public @interface Config {

        @AttributeDefinition(name = "AE title", description = "The remote node's Application Entity title.")
        String aeTitle();

        @AttributeDefinition(name = "Host", description = "Host name or IP address.")
        String host();

        @AttributeDefinition(name = "Port", description = "TCP port of the remote DICOM service.")
        int port() default 104;

        @AttributeDefinition(name = "TLS", description = "Use DICOM TLS for associations to this node.")
        boolean tls() default false;

        @AttributeDefinition(name = "Description", description = "Free text: site, modality, contact.")
        String description() default "";
    }

    private final RemoteAe remoteAe;

    @Activate
    public RemoteAeDefinition(Config config) {
        this.remoteAe = new RemoteAe(config.aeTitle(), config.host(), config.port(), config.tls(), config.description());
    }

    RemoteAe remoteAe() {
        return remoteAe;
    }
}
