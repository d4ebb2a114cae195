package org.mosaicpacs.service.query.internal;

import java.io.IOException;

import org.mosaicpacs.api.index.ArchiveIndex;
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
 * The Query/Retrieve C-FIND SCP (Patient Root and Study Root) as a {@link DimseHandler} service:
 * while it is registered the acceptor accepts C-FIND presentation contexts for both models. A
 * configuration change re-creates the component; queries in flight finish with the old settings.
 * Statuses: see {@link FindScp}.
 */
@Component(service = DimseHandler.class, configurationPid = QueryScpComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DimseHandlerProperties(sopclass = {UID.PatientRootQueryRetrieveInformationModelFind,
        UID.StudyRootQueryRetrieveInformationModelFind})
@Designate(ocd = QueryScpComponent.Config.class)
public final class QueryScpComponent implements DimseHandler {

    static final String PID = "org.mosaicpacs.service.query";
    private static final Logger LOG = LoggerFactory.getLogger(QueryScpComponent.class);

    @ObjectClassDefinition(name = "Mosaic Query SCP (C-FIND)",
            description = "C-FIND of the Patient Root and Study Root Query/Retrieve information models.")
    public @interface Config {

        @AttributeDefinition(name = "Maximum matches", min = "0", description = "The most matches one C-FIND "
                + "returns; beyond it the answer ends with A700 (Out of Resources) and a comment. 0: the index's "
                + "own maximum (PID org.mosaicpacs.index.jdbc, maxMatches), which also caps this value.")
        int maxMatches() default 0;

        @AttributeDefinition(name = "Fuzzy person names", description = "Match person names fuzzily (by sound) in "
                + "every C-FIND, not only when the requestor negotiates fuzzy semantic matching.")
        boolean fuzzyPersonNames() default false;

        @AttributeDefinition(name = "Relational queries", description = "Accept relational queries (PS3.4 "
                + "C.4.1.2.2.2) when the requestor negotiates them; otherwise every query is hierarchical.")
        boolean relationalQueries() default true;
    }

    private final FindScp scp;

    @Activate
    public QueryScpComponent(@Reference ArchiveIndex index, Config config) {
        QuerySettings settings = new QuerySettings(config.maxMatches(), config.fuzzyPersonNames(),
                config.relationalQueries());
        this.scp = new FindScp(index, settings);
        LOG.info("Query SCP (C-FIND, Patient and Study Root): max matches {}, fuzzy names {}, relational queries {}",
                settings.maxMatches() == 0 ? "as the index" : settings.maxMatches(), settings.fuzzyPersonNames(),
                settings.relationalQueries());
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException, IOException {
        return scp.handle(request, context);
    }

    @Override
    public byte[] extendedNegotiation(String sopClassUid, byte[] requested) {
        return scp.extendedNegotiation(sopClassUid, requested);
    }
}
