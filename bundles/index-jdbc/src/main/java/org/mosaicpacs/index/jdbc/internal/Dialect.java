package org.mosaicpacs.index.jdbc.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;

/** What differs between the databases the index runs on; detected from {@link DatabaseMetaData}. */
enum Dialect {

    /** Apache Derby, embedded: the zero-configuration default. */
    DERBY(Set.of("40001", "40XL1", "40XL2")),
    /** PostgreSQL: for several nodes sharing one index. */
    POSTGRESQL(Set.of("40001", "40P01"));

    private final Set<String> retryStates;

    Dialect(Set<String> retryStates) {
        this.retryStates = retryStates;
    }

    /**
     * The dialect of a connection's database.
     *
     * @throws SQLException if the database is neither Derby nor PostgreSQL
     */
    static Dialect of(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("derby")) {
            return DERBY;
        }
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new SQLException("the archive index supports Apache Derby and PostgreSQL, not "
                + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
    }

    /** Prepares an INSERT whose generated primary key column {@code pk} is read back. */
    PreparedStatement prepareInsert(Connection connection, String sql) throws SQLException {
        // Derby answers RETURN_GENERATED_KEYS with the identity column; PostgreSQL would return
        // every column (blobs too), so it is asked for pk only.
        return this == DERBY ? connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : connection.prepareStatement(sql, new String[] {"pk"});
    }

    /** True for a unique constraint violation (SQL:2003 state 23505 in both databases). */
    boolean isUniqueViolation(SQLException e) {
        return hasState(e, Set.of("23505"));
    }

    /** True for a deadlock, lock timeout or serialization failure: the transaction may be retried. */
    boolean isRetryable(SQLException e) {
        return hasState(e, retryStates);
    }

    private static boolean hasState(SQLException e, Set<String> states) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    if (n.getSQLState() != null && states.contains(n.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
