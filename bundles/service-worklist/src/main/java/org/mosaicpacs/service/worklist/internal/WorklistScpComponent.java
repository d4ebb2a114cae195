package org.mosaicpacs.service.worklist.internal;

import java.io.IOException;

import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Modality Worklist C-FIND SCP as a {@link DimseHandler} service: while it is registered the
 * acceptor accepts presentation contexts for Modality Worklist Information Model – FIND. A
 * configuration change re-creates the component; queries in flight finish with the old settings.
 * Statuses: see {@link WorklistScp}.
 */
@Component(service = DimseHandler.class, configurationPid = WorklistScpComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DimseHandlerProperties(sopclass = UID.ModalityWorklistInformationModelFind)
@Designate(ocd = WorklistScpComponent.Config.class)
public final class WorklistScpComponent implements DimseHandler {

    static final String PID = "org.mosaicpacs.service.worklist";
    private static final Logger LOG = LoggerFactory.getLogger(WorklistScpComponent.class);

    @ObjectClassDefinition(name = "Mosaic Modality Worklist SCP (C-FIND)",
            description = "C-FIND of the Modality Worklist Information Model on the worklist items.")
    public @interface Config {

        @AttributeDefinition(name = "Maximum matches", min = "0", description = "The most items one C-FIND "
                + "returns; beyond it the answer ends with A700 (Out of Resources) and a comment. 0: no limit.")
        int maxMatches() default 1000;

        @AttributeDefinition(name = "Case-insensitive person names", description = "Person Name keys ignore case "
                + "(PS3.4 C.2.2.2.1 leaves it to the SCP); other keys are always case-sensitive.")
        boolean caseInsensitivePersonNames() default true;
    }

    private final WorklistScp scp;

    @Activate
    public WorklistScpComponent(@Reference JdbcWorklistStore store, Config config) {
        this.scp = new WorklistScp(store, config.caseInsensitivePersonNames(), config.maxMatches());
        LOG.info("Modality Worklist SCP (C-FIND): max matches {}, case-insensitive names {}",
                config.maxMatches() == 0 ? "unlimited" : config.maxMatches(), config.caseInsensitivePersonNames());
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException, IOException {
        return scp.handle(request, context);
    }
}
