package org.mosaicpacs.dicomweb.internal;

import java.util.Set;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The DICOMweb JAX-RS application, {@value #DEFAULT_BASE} unless configured otherwise
 * ({@code osgi.jaxrs.application.base} in PID {@value DicomWebConfig#PID}). It holds nothing
 * itself: this bundle's resource and extensions, and any vendor's, select it by name
 * ({@value #SELECT}), so a bundle adds endpoints under the same base by registering a resource.
 */
@Component(service = Application.class, configurationPid = DicomWebConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DicomWebConfig.class)
@JaxrsApplicationBase(DicomWebApplication.DEFAULT_BASE)
@JaxrsName(DicomWebApplication.NAME)
public class DicomWebApplication extends Application {

    /** Default base path. */
    static final String DEFAULT_BASE = "/dicom-web";
    /** The application's whiteboard name. */
    static final String NAME = "mosaic.dicomweb";
    /** The filter by which resources and extensions select the application. */
    static final String SELECT = "(osgi.jaxrs.name=" + NAME + ")";

    @Override
    public Set<Object> getSingletons() {
        return Set.of();
    }
}
