package org.mosaicpacs.service.storage.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.dicom.UidEntry;
import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Storage SCP as a {@link DimseHandler} for every storage SOP class of the UID
 * registry (PS3.4 Annex B, generated from the standard's tables: not a hand-kept list) and every
 * transfer syntax the registry knows: objects are stored as received, so accepting a compressed
 * syntax needs no codec.
 *
 * <p>The SOP class list is computed at activation, so this component registers the handler
 * itself: DS can only publish service properties known at build time or from configuration.
 */
@Component(service = {}, configurationPid = StorageScpComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StorageScpComponent.Config.class)
public class StorageScpComponent {

    static final String PID = "org.mosaicpacs.service.storage";
    private static final Logger LOG = LoggerFactory.getLogger(StorageScpComponent.class);

    @ObjectClassDefinition(name = "Mosaic Storage SCP", description = "Which storage SOP classes and transfer syntaxes C-STORE accepts.")
    public @interface Config {

        @AttributeDefinition(name = "Accept retired SOP classes", description = "Also accept retired storage SOP classes (old modalities still send them).")
        boolean acceptRetired() default true;

        @AttributeDefinition(name = "Excluded SOP classes", description = "SOP Class UIDs not to accept.")
        String[] excludedSopClasses() default {};

        @AttributeDefinition(name = "Additional SOP classes", description = "Private storage SOP Class UIDs to store like standard ones.")
        String[] additionalSopClasses() default {};

        @AttributeDefinition(name = "Transfer syntaxes", description = "Transfer syntax UIDs to accept; empty accepts every one in the registry.")
        String[] transferSyntaxes() default {};
    }

    private final ServiceRegistration<DimseHandler> registration;

    @Activate
    public StorageScpComponent(@Reference Archive archive, BundleContext context, Config config) {
        String[] sopClasses = sopClasses(config);
        String[] syntaxes = config.transferSyntaxes().length > 0 ? config.transferSyntaxes() : allTransferSyntaxes();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DimseHandler.SOP_CLASS_PROPERTY, sopClasses);
        props.put(DimseHandler.ROLE_PROPERTY, DimseHandler.ROLE_SCP);
        props.put(DimseHandler.TRANSFER_SYNTAX_PROPERTY, syntaxes);
        registration = context.registerService(DimseHandler.class, new StorageScp(archive), props);
        LOG.info("Storage SCP serves {} SOP classes in {} transfer syntaxes", sopClasses.length, syntaxes.length);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    static String[] sopClasses(Config config) {
        Set<String> uids = new LinkedHashSet<>();
        for (UidEntry e : UidRegistry.storageSopClasses(config.acceptRetired())) {
            uids.add(e.uid());
        }
        uids.addAll(List.of(config.additionalSopClasses()));
        uids.removeAll(List.of(config.excludedSopClasses()));
        return uids.toArray(String[]::new);
    }

    static String[] allTransferSyntaxes() {
        List<String> uids = new ArrayList<>();
        for (UidEntry e : UidRegistry.ofType(UidEntry.TRANSFER_SYNTAX)) {
            uids.add(e.uid());
        }
        return uids.toArray(String[]::new);
    }
}
