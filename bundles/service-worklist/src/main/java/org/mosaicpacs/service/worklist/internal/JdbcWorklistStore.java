package org.mosaicpacs.service.worklist.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.mosaicpacs.api.worklist.WorklistEvents;
import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.support.jdbc.SchemaMigrations.Migration;
import org.mosaicpacs.support.jdbc.SchemaMigrations;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WorklistStore} on the index database, the {@code DataSource} named {@code mosaic}
 * (pax-jdbc: Derby embedded by default, PostgreSQL by configuration), in its own table
 * {@code mwl_item} with its own versioned schema ({@link #SCHEMA}). Each row keeps the whole
 * data set and the indexed columns C-FIND and the REST filters narrow on; the exact matching runs
 * in Java ({@link #search}). Every change commits before the method returns and is then posted on
 * EventAdmin ({@link WorklistEvents}, item id only). Item ids are random UUIDs, so several nodes
 * sharing one PostgreSQL database never collide. Immediate: the schema is migrated at start.
 */
@Component(service = {WorklistStore.class, JdbcWorklistStore.class}, immediate = true,
        configurationPid = JdbcWorklistStore.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JdbcWorklistStore.Config.class)
public final class JdbcWorklistStore implements WorklistStore {

    /** The worklist's table and its versions: scripts in {@code sql/<database>/V<n>.sql} beside this class. */
    static final SchemaMigrations SCHEMA = new SchemaMigrations("worklist tables", "mwl_schema_version",
            List.of(new Migration(1, "mwl_item")), JdbcWorklistStore.class, "worklist bundle");

    static final String PID = "org.mosaicpacs.service.worklist.store";
    private static final Logger LOG = LoggerFactory.getLogger(JdbcWorklistStore.class);
    private static final String COLUMNS = "patient_id, patient_name, accession_no, study_uid, req_proc_id, sps_id,"
            + " sps_start_date, sps_start_time, modality, station_aet, performing_physician, sps_status";
    private static final int COLUMN_COUNT = 12;
    private static final WorklistMatcher DEFAULT_MATCHER = new WorklistMatcher(true);

    @ObjectClassDefinition(name = "Mosaic worklist store",
            description = "Where the Modality Worklist items are kept: a table of the index database.")
    public @interface Config {

        @AttributeDefinition(name = "DataSource filter", description = "Which DataSource service holds the worklist.")
        String dataSource_target() default "(dataSourceName=mosaic)";
    }

    /** Receives the matches of {@link #search}, one by one. */
    @FunctionalInterface
    interface MatchConsumer {
        /** Takes one match; false stops the search (C-CANCEL). */
        boolean accept(WorklistItem match) throws Exception;
    }

    /** How a search ended. */
    enum SearchEnd {
        /** Every match was passed on. */
        COMPLETE,
        /** The consumer stopped it. */
        STOPPED,
        /** More items matched than the limit; the first ones were passed on. */
        LIMIT_REACHED
    }

    private final DataSource dataSource;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Activate
    public JdbcWorklistStore(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource)
            throws SQLException {
        this.dataSource = dataSource;
        int version = SCHEMA.migrate(dataSource);
        LOG.info("Worklist store ready (schema version {})", version);
    }

    @Override
    public WorklistItem create(DataSet attributes) throws WorklistException {
        DataSet item = ItemAttributes.complete(attributes);
        String id = UUID.randomUUID().toString();
        Instant now = now();
        String sql = "INSERT INTO mwl_item (item_id, " + COLUMNS + ", attrs, updated) VALUES (?, "
                + "?, ".repeat(COLUMN_COUNT) + "?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            int i = bindColumns(ps, 2, item);
            ps.setBytes(i++, ItemAttributes.encode(item));
            ps.setTimestamp(i, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("store the worklist item", e);
        }
        post(WorklistEvents.ITEM_CREATED, id);
        return new WorklistItem(id, item.freeze(), now);
    }

    @Override
    public Optional<WorklistItem> get(String id) throws WorklistException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, id);
        } catch (SQLException e) {
            throw failure("read the worklist item", e);
        }
    }

    @Override
    public WorklistItem update(String id, DataSet attributes) throws WorklistException {
        DataSet item = ItemAttributes.complete(attributes);
        Instant now = now();
        try (Connection c = dataSource.getConnection()) {
            write(c, id, item, now);
        } catch (SQLException e) {
            throw failure("update the worklist item", e);
        }
        post(WorklistEvents.ITEM_UPDATED, id);
        return new WorklistItem(id, item.freeze(), now);
    }

    @Override
    public boolean delete(String id) throws WorklistException {
        int deleted;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM mwl_item WHERE item_id = ?")) {
            ps.setString(1, id);
            deleted = ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete the worklist item", e);
        }
        if (deleted > 0) {
            post(WorklistEvents.ITEM_DELETED, id);
        }
        return deleted > 0;
    }

    @Override
    public List<WorklistItem> findByStep(String studyInstanceUid, String accessionNumber, String requestedProcedureId,
                                         String scheduledProcedureStepId) throws WorklistException {
        List<String> conditions = new ArrayList<>();
        List<String> params = new ArrayList<>();
        String[][] keys = {{"study_uid", studyInstanceUid}, {"accession_no", accessionNumber},
                {"req_proc_id", requestedProcedureId}, {"sps_id", scheduledProcedureStepId}};
        for (String[] key : keys) {
            if (key[1] != null) {
                conditions.add(key[0] + " = ?");
                params.add(key[1].strip());
            }
        }
        if (conditions.isEmpty()) {
            return List.of();
        }
        List<WorklistItem> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT item_id, attrs, updated FROM mwl_item WHERE "
                     + String.join(" AND ", conditions) + " ORDER BY item_id")) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(item(rs));
                }
            }
        } catch (SQLException e) {
            throw failure("find worklist items", e);
        }
        return found;
    }

    /** Matching as the Modality Worklist SCP does by default (person names ignoring case). */
    @Override
    public List<WorklistItem> find(DataSet keys, int offset, int limit) throws WorklistException {
        if (offset < 0 || limit < 1) {
            throw new WorklistException("offset must be 0 or more and limit 1 or more, not " + offset + " and " + limit);
        }
        try {
            WorklistMatcher.validate(keys);
        } catch (InvalidKeyException e) {
            throw new WorklistException(e.getMessage() + " " + Tags.toString(e.tag()));
        }
        List<WorklistItem> found = new ArrayList<>();
        try {
            search(keys, DEFAULT_MATCHER, offset, limit, found::add);
        } catch (WorklistException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected failure of a worklist search", e);
        }
        return found;
    }

    @Override
    public WorklistItem setStepStatus(String id, String status) throws WorklistException {
        if (status == null || !status.matches("[A-Z0-9_ ]{1,16}")) {
            throw new WorklistException("a Scheduled Procedure Step Status is 1 to 16 upper-case letters, digits, "
                    + "'_' or spaces (CS), e.g. STARTED, not '" + status + "'");
        }
        Instant now = now();
        DataSet item;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // lock the row first, so that two status changes cannot interleave their read and write
                try (PreparedStatement lock = c.prepareStatement("UPDATE mwl_item SET updated = updated WHERE item_id = ?")) {
                    lock.setString(1, id);
                    if (lock.executeUpdate() == 0) {
                        throw new NoSuchItemException(id);
                    }
                }
                item = read(c, id).orElseThrow().attributes().deepCopy();
                item.getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                        .setString(Tag.ScheduledProcedureStepStatus, VR.CS, status);
                write(c, id, item, now);
                c.commit();
            } catch (SQLException | WorklistException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("set the step status of the worklist item", e);
        }
        post(WorklistEvents.ITEM_UPDATED, id);
        return new WorklistItem(id, item.freeze(), now);
    }

    /**
     * The items that match a C-FIND identifier, in order of scheduled start, passed to
     * {@code consumer} as they are read from a cursor (so a C-CANCEL stops the reading).
     *
     * @param keys    a validated identifier ({@link WorklistMatcher#validate})
     * @param offset  matches to skip first
     * @param limit   the most matches to pass on (0: no limit)
     * @throws WorklistException if the database fails
     * @throws Exception         what the consumer throws
     */
    SearchEnd search(DataSet keys, WorklistMatcher matcher, int offset, int limit, MatchConsumer consumer)
            throws Exception {
        SqlPrefilter filter = SqlPrefilter.of(keys);
        String sql = "SELECT item_id, attrs, updated FROM mwl_item WHERE " + filter.where()
                + " ORDER BY sps_start_date, sps_start_time, item_id";
        try (Connection c = dataSource.getConnection()) {
            // PostgreSQL streams a result set only with auto-commit off and a fetch size
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(100);
                for (int i = 0; i < filter.params().size(); i++) {
                    ps.setString(i + 1, filter.params().get(i));
                }
                int matched = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        WorklistItem item = item(rs);
                        if (!matcher.matches(item.attributes(), keys) || matched++ < offset) {
                            continue;
                        }
                        if (limit > 0 && matched - offset > limit) {
                            return SearchEnd.LIMIT_REACHED;
                        }
                        if (!consumer.accept(item)) {
                            return SearchEnd.STOPPED;
                        }
                    }
                }
                return SearchEnd.COMPLETE;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("search the worklist", e);
        }
    }

    private static Optional<WorklistItem> read(Connection c, String id) throws SQLException, WorklistException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id, attrs, updated FROM mwl_item WHERE item_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(item(rs)) : Optional.empty();
            }
        }
    }

    private static void write(Connection c, String id, DataSet item, Instant now) throws SQLException, WorklistException {
        String sql = "UPDATE mwl_item SET " + COLUMNS.replace(",", " = ?,") + " = ?, attrs = ?, updated = ? WHERE item_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bindColumns(ps, 1, item);
            ps.setBytes(i++, ItemAttributes.encode(item));
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.setString(i, id);
            if (ps.executeUpdate() == 0) {
                throw new NoSuchItemException(id);
            }
        }
    }

    private static int bindColumns(PreparedStatement ps, int first, DataSet item) throws SQLException, WorklistException {
        int i = first;
        for (String value : ItemAttributes.columns(item).values()) {
            ps.setString(i++, value);
        }
        return i;
    }

    private static WorklistItem item(ResultSet rs) throws SQLException, WorklistException {
        return new WorklistItem(rs.getString(1), ItemAttributes.decode(rs.getBytes(2)).freeze(),
                rs.getTimestamp(3).toInstant());
    }

    /** Now, to the microsecond both databases keep. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static WorklistException failure(String what, SQLException e) {
        LOG.warn("Worklist database failure: cannot {}: {}", what, e.toString());
        return new WorklistException("cannot " + what + ": the database failed (" + e.getMessage() + ")", e);
    }

    private void post(String topic, String id) {
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.postEvent(new Event(topic, Map.of(WorklistEvents.PROPERTY_ITEM_ID, id)));
        }
    }
}
