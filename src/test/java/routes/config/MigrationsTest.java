package routes.config;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import routes.model.SqlFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * sql/ (packaged as db/migration) on plain PostgreSQL, where TimescaleDB is not installed at all: V001's guard
 * leaves message_exchange a plain table, no warning is logged, and the retention route's question
 * (queries/has-timescaledb.sql) answers false. (TimescaleDB installed but not preloaded cannot be set up on this
 * machine's shared PostgreSQL.) routes.it.MigrationChecksumIT starts the service on databases of the first V001.
 */
class MigrationsTest {

    private static final String DB_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String DB_USER = "postgres";

    private final String schema = "ut_migrations_" + UUID.randomUUID().toString().substring(0, 8);
    private final Logger flywayLog = (Logger) LoggerFactory.getLogger("org.flywaydb");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void listen() {
        logged.start();
        flywayLog.addAppender(logged);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        flywayLog.detachAppender(logged);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void without_timescaledb_installed_the_table_is_plain_and_nothing_is_logged() throws SQLException {
        assumeFalse(timescaleInstalled(), "TimescaleDB is installed on this PostgreSQL");

        int applied = Flyway.configure()
                .dataSource(DB_URL, DB_USER, "")
                .schemas(schema)
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;

        assertEquals(5, applied, "migrations applied");
        assertEquals("r", single("SELECT relkind::text FROM pg_class WHERE oid = to_regclass('message_exchange')"),
                "message_exchange is an ordinary table");
        assertEquals("false", single("SELECT (count(*) > 0)::text FROM pg_extension WHERE extname = 'timescaledb'"),
                "timescaledb created");
        assertEquals("f", single(SqlFile.read("has-timescaledb.sql")), "the retention route's has-timescaledb.sql");
        List<String> warnings = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of(), warnings, "Flyway's warnings");
    }

    private boolean timescaleInstalled() throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")) {
            return result.next();
        }
    }

    /** The one value of a query run in the test's schema, as text. */
    private String single(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
            try (ResultSet result = statement.executeQuery(sql)) {
                result.next();
                String value = result.getString(1);
                assertFalse(result.next(), "one row: " + sql);
                return value;
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB_URL, DB_USER, "");
    }
}
