package routes.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads a test schema's message_dead_letter table directly, not through the service. */
public final class DeadLetterRows {

    public record Row(long id, String reason, String details, String payload, int attempts, String source, byte[] payloadBytes) {
    }

    private final String schema;

    public DeadLetterRows(String schema) {
        this.schema = schema;
    }

    public List<Row> all() {
        List<Row> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             PreparedStatement s = c.prepareStatement("SELECT id, reason, details::text, payload, attempts, source, payload_bytes FROM "
                     + schema + ".message_dead_letter ORDER BY id");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new Row(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5), r.getString(6), r.getBytes(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             PreparedStatement s = c.prepareStatement(sql.replace("{schema}", schema))) {
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
