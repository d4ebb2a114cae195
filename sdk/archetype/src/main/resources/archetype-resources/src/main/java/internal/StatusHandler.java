package ${package}.internal;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A DIMSE handler for the private SOP class {@value #SOP_CLASS_UID}: an N-GET answers with the
 * plugin's Manufacturer (0008,0070) and Software Versions (0018,1020), the bundle's version. While
 * this bundle runs, the Mosaic acceptor accepts presentation contexts for the SOP class; when it
 * stops they are rejected, and an update takes effect for the next request without a restart.
 *
 * <p>Statuses: 0000 Success for N-GET; 0211 Unrecognized Operation for any other request.
 * Called on Mosaic's worker threads, possibly concurrently: keep it stateless.
 */
@Component(service = DimseHandler.class, configurationPid = StatusHandler.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DimseHandlerProperties(sopclass = StatusHandler.SOP_CLASS_UID)
@Designate(ocd = StatusHandler.Config.class)
public class StatusHandler implements DimseHandler {

    /** The private SOP class: a UID under your organisation's root. */
    public static final String SOP_CLASS_UID = "${sopClassUid}";

    static final String PID = "${package}";

    @ObjectClassDefinition(name = "${artifactId}", description = "The plugin's status SOP class.")
    public @interface Config {

        @AttributeDefinition(name = "Manufacturer", description = "Reported in N-GET answers.")
        String manufacturer() default "${vendor}";
    }

    private final String manufacturer;
    private final String version;

    @Activate
    public StatusHandler(BundleContext context, Config config) {
        this(config.manufacturer(), context.getBundle().getVersion().toString());
    }

    StatusHandler(String manufacturer, String version) {
        this.manufacturer = manufacturer;
        this.version = version;
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException {
        if (request.dimse() != Dimse.N_GET_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION, request.dimse() + " is not served");
        }
        DataSet attributes = new DataSet();
        attributes.setString(Tag.Manufacturer, VR.LO, manufacturer);
        attributes.setString(Tag.SoftwareVersions, VR.LO, version);
        return DimseResponse.success().withAffectedSopInstanceUid(request.sopInstanceUid()).withDataSet(attributes);
    }
}
