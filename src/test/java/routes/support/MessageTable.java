package routes.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The message_exchange table of one test class's own schema, read over plain JDBC, and the schema's removal
 * when the class is done.
 */
public final class MessageTable {

    public static final String DB_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String DB_USER = "postgres";

    private final String schema;

    public MessageTable(String schema) {
        if (!schema.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("test schema names are lowercase letters, digits and '_': " + schema);
        }
        this.schema = schema;
    }

    public String schema() {
        return schema;
    }

    /** All rows. */
    public long count() {
        return count("TRUE");
    }

    /** Rows matching a WHERE clause with '?' parameters, e.g. {@code count("source_subject_id = ?", "a")}. */
    public long count(String where, Object... parameters) {
        return query("SELECT count(*) FROM " + schema + ".message_exchange WHERE " + where, parameters, rs -> rs.getLong(1)).get(0);
    }

    public long countByUuid(UUID uuid) {
        return count("message_uuid = ?", uuid);
    }

    /** The uuids of the rows matching a WHERE clause, as lowercase text. */
    public List<String> uuids(String where, Object... parameters) {
        return query("SELECT message_uuid::text FROM " + schema + ".message_exchange WHERE " + where + " ORDER BY message_uuid",
                parameters, rs -> rs.getString(1));
    }

    /** Whether the application has migrated the schema yet. */
    public boolean exists() {
        return !query("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'message_exchange'",
                new Object[] {schema}, rs -> 1).isEmpty();
    }

    /** Removes the schema, its table and Flyway's history with it. */
    public void dropSchema() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop schema " + schema, e);
        }
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(String sql, Object[] parameters, RowReader<T> reader) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB_URL, DB_USER, "");
    }
}
