package org.mosaicpacs.index.jdbc.internal;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
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
 * The {@link ArchiveIndex} service on the {@code DataSource} named {@code mosaic} (pax-jdbc:
 * Derby embedded by default, PostgreSQL by configuration; retarget with {@code dataSource.target}).
 * Immediate, so the schema is migrated when the bundle starts rather than at the first store. A
 * configuration change re-creates the component; queries running on the old one finish.
 */
@Component(service = ArchiveIndex.class, immediate = true, configurationPid = JdbcArchiveIndexComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JdbcArchiveIndexComponent.Config.class)
public class JdbcArchiveIndexComponent implements ArchiveIndex {

    static final String PID = "org.mosaicpacs.index.jdbc";
    private static final Logger LOG = LoggerFactory.getLogger(JdbcArchiveIndexComponent.class);

    @ObjectClassDefinition(name = "Mosaic archive index",
            description = "The database of patients, studies, series and instances that C-FIND and QIDO-RS query.")
    public @interface Config {

        @AttributeDefinition(name = "Maximum matches", description = "The most matches one query returns (C-FIND, "
                + "QIDO-RS); a query's own limit can only lower it. 0: no limit.")
        int maxMatches() default 1000;

        @AttributeDefinition(name = "Fuzzy person names", description = "Match Person Name keys fuzzily (by sound, "
                + "Double Metaphone) in every query, not only those that ask for it.")
        boolean fuzzyPersonNames() default false;

        @AttributeDefinition(name = "Case-insensitive person names", description = "Person Name keys ignore case and "
                + "full/half width (PS3.4 C.2.2.2.1 allows it); other keys are always case-sensitive.")
        boolean caseInsensitivePersonNames() default true;

        @AttributeDefinition(name = "DataSource filter", description = "Which DataSource service holds the index.")
        String dataSource_target() default "(dataSourceName=mosaic)";
    }

    private final JdbcArchiveIndex index;

    @Activate
    public JdbcArchiveIndexComponent(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource,
                                     Config config) throws SQLException {
        IndexSettings settings = new IndexSettings(config.maxMatches(), config.fuzzyPersonNames(),
                config.caseInsensitivePersonNames());
        this.index = new JdbcArchiveIndex(dataSource, settings);
        LOG.info("Archive index on {} (max matches {}, fuzzy names {}, case-insensitive names {})", index.dialect(),
                settings.maxMatches(), settings.fuzzyPersonNames(), settings.caseInsensitivePersonNames());
    }

    @Override
    public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                boolean replaceExisting) throws IndexException {
        return index.record(header, object, transferSyntaxUid, received, replaceExisting);
    }

    @Override
    public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                boolean replaceExisting, Future<?> objectDurable) throws IndexException {
        return index.record(header, object, transferSyntaxUid, received, replaceExisting, objectDurable);
    }

    @Override
    public Optional<InstanceRecord> findInstance(String sopInstanceUid) throws IndexException {
        return index.findInstance(sopInstanceUid);
    }

    @Override
    public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) throws IndexException {
        return index.findInstances(studyInstanceUid, seriesInstanceUid);
    }

    @Override
    public QueryResults query(IndexQuery query) throws IndexException {
        return index.query(query);
    }

    @Override
    public Optional<InstanceRecord> removeInstance(String sopInstanceUid) throws IndexException {
        return index.removeInstance(sopInstanceUid);
    }

    @Override
    public void recordRejection(Rejection rejection) throws IndexException {
        index.recordRejection(rejection);
    }

    @Override
    public Optional<Rejection> findRejection(String sopInstanceUid) throws IndexException {
        return index.findRejection(sopInstanceUid);
    }

    @Override
    public List<Rejection> findRejections(String studyInstanceUid) throws IndexException {
        return index.findRejections(studyInstanceUid);
    }

    @Override
    public boolean forgetRejection(String sopInstanceUid) throws IndexException {
        return index.forgetRejection(sopInstanceUid);
    }
}
