package routes.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import routes.model.SqlFile;

/**
 * storage.retention, applied by the apply-retention route: TimescaleDB gets a retention policy (and a compression
 * policy with storage.compress-after) that its own jobs run; plain PostgreSQL deletes the expired rows in chunks,
 * each committed on its own so no DELETE holds many locks or a long transaction, until a chunk comes back short.
 */
public final class Retention {

    private final DataSource dataSource;
    private final String hasTimescale = SqlFile.read("has-timescaledb.sql");
    private final String retentionPolicy = SqlFile.read("timescale-retention.sql");
    private final String compression = SqlFile.read("timescale-compression.sql");
    private final String compressionPolicy = SqlFile.read("timescale-compression-policy.sql");
    private final String deleteExpired = SqlFile.read("delete-expired.sql");

    public Retention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** retention and compressAfter: intervals such as '90 days', empty for off; chunk: rows per DELETE. */
    public void apply(String retention, String compressAfter, int chunk) throws SQLException {
        if (retention.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (hasTimescale(connection)) {
                update(connection, retentionPolicy, retention);
                if (!compressAfter.isEmpty()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(compression);
                    }
                    update(connection, compressionPolicy, compressAfter);
                }
            } else {
                int deleted;
                do {
                    deleted = update(connection, deleteExpired, retention, chunk);
                } while (deleted >= chunk);
            }
        }
    }

    private boolean hasTimescale(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(hasTimescale)) {
            return result.next() && result.getBoolean(1);
        }
    }

    /** Rows changed; a SELECT of a TimescaleDB function counts none. */
    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.execute() ? 0 : statement.getUpdateCount();
        }
    }
}
