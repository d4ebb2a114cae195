package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.TlsSettings;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Query/Retrieve C-MOVE and C-GET SCP (Patient Root and Study Root) as a {@link DimseHandler}
 * service. The {@link Transcoder} is optional and dynamic: while one is registered, objects stored
 * in a compressed syntax the peer does not accept (or wanted compressed) are converted; without
 * one such sub-operations fail with a reason, and retrieves between uncompressed syntaxes work as
 * before. Statuses: see {@link RetrieveScp}.
 */
@Component(service = DimseHandler.class, configurationPid = RetrieveScpComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DimseHandlerProperties(sopclass = {UID.PatientRootQueryRetrieveInformationModelMove,
        UID.PatientRootQueryRetrieveInformationModelGet, UID.StudyRootQueryRetrieveInformationModelMove,
        UID.StudyRootQueryRetrieveInformationModelGet})
@Designate(ocd = RetrieveScpComponent.Config.class)
public final class RetrieveScpComponent implements DimseHandler {

    static final String PID = "org.mosaicpacs.service.retrieve";
    private static final Logger LOG = LoggerFactory.getLogger(RetrieveScpComponent.class);

    @ObjectClassDefinition(name = "Mosaic Retrieve SCP (C-MOVE, C-GET)",
            description = "C-MOVE and C-GET of the Patient Root and Study Root Query/Retrieve information models.")
    public @interface Config {

        @AttributeDefinition(name = "Allow lossy conversion", description = "When a peer accepts none of the "
                + "lossless syntaxes an object can be sent in, convert it lossily (it then gets a new SOP Instance "
                + "UID, PS3.3 C.7.6.1.1.5). Off: such sub-operations fail.")
        boolean allowLossyConversion() default false;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Transcoder transcoder;

    private final RetrieveScp scp;
    private DicomClient tlsClient;

    @Activate
    public RetrieveScpComponent(@Reference ArchiveIndex index, @Reference Archive archive,
                                @Reference RemoteAeRegistry remoteAes, Config config) {
        InstanceSender sender = new InstanceSender(archive, () -> transcoder, config.allowLossyConversion());
        this.scp = new RetrieveScp(index, remoteAes, sender, this::tlsClient);
        LOG.info("Retrieve SCP (C-MOVE, C-GET, Patient and Study Root): lossy conversion {}",
                config.allowLossyConversion() ? "allowed" : "refused");
    }

    /**
     * The client for destinations configured with TLS: the JVM's default SSLContext (key and trust
     * stores from the {@code javax.net.ssl.*} system properties), made at first use.
     */
    private synchronized DicomClient tlsClient(RemoteAe destination) {
        if (tlsClient == null) {
            try {
                tlsClient = DicomClient.builder().tls(TlsSettings.of(SSLContext.getDefault())).build();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context for " + destination.aeTitle(), e);
            }
        }
        return tlsClient;
    }

    @Deactivate
    synchronized void deactivate() {
        if (tlsClient != null) {
            tlsClient.close();
        }
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context)
            throws DimseStatusException, IOException, InterruptedException {
        return scp.handle(request, context);
    }

    @Override
    public byte[] extendedNegotiation(String sopClassUid, byte[] requested) {
        return scp.extendedNegotiation(sopClassUid, requested);
    }
}
