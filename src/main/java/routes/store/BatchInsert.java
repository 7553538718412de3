package routes.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Writes one batch with the single bulk statement of queries/insert-batch.sql, in one round trip, committed on
 * its own. A bean rather than the jdbc component because camel-jdbc adds two round trips to every statement: it
 * asks PostgreSQL to describe it first (PreparedStatement.getParameterMetaData) and wraps it in BEGIN ... COMMIT.
 */
public final class BatchInsert {

    private final DataSource dataSource;
    private final BatchRows rows;
    private final String sql;

    public BatchInsert(DataSource dataSource, BatchRows rows) {
        this.dataSource = dataSource;
        this.rows = rows;
        this.sql = resource("queries/insert-batch.sql");
    }

    /** The number of rows written: fewer than the batch holds when some were stored before. */
    public int insert(MessageBatch batch) throws SQLException {
        String json = rows.toJson(batch);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, json);
            return statement.executeUpdate();
        }
    }

    private static String resource(String name) {
        try (InputStream in = BatchInsert.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
