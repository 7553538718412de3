package routes.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * V001's TimescaleDB guard was fixed after V001 shipped. A database migrated with the first text (kept in
 * src/test/resources/v001-as-shipped, as commit 95e930a had it) still validates and the service starts on it; a
 * V001 checksum that matches neither text still stops the service.
 */
class MigrationChecksumIT {

    /** The checksum Flyway records for the first text of V001. */
    private static final int FIRST_V001_CHECKSUM = 716322816;

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    @Test
    void a_database_migrated_with_the_first_v001_validates_and_the_service_starts() throws Exception {
        migrateWithTheFirstV001();
        assertEquals(FIRST_V001_CHECKSUM, v001Checksum(), "checksum recorded by the first V001");

        fixture.start("checksum-a", Map.of()).awaitReady(Duration.ofSeconds(90));

        assertNotEquals(FIRST_V001_CHECKSUM, v001Checksum(), "V001's checksum after the start");
        assertEquals(5, single("SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"),
                "migrations applied");
    }

    @Test
    void a_v001_checksum_that_matches_neither_text_still_stops_the_service() throws Exception {
        migrateWithTheFirstV001();
        single("WITH changed AS (UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '001' RETURNING 1) "
                + "SELECT count(*) FROM changed");

        ServiceProcess service = fixture.start("checksum-b", Map.of());
        int exit = service.awaitExit(Duration.ofSeconds(60));

        String stderr = String.join("\n", service.stderrLines());
        assertEquals(2, exit, "exit code; stderr:\n" + stderr);
        assertTrue(stderr.contains("db.migrations (DB_MIGRATIONS)") && stderr.contains("checksum mismatch for migration version 001"),
                stderr);
        assertEquals(12345, v001Checksum(), "V001's checksum is left as it was");
    }

    private void migrateWithTheFirstV001() {
        Flyway.configure()
                .dataSource(ServiceFixture.DB_URL, ServiceFixture.DB_USER, "")
                .schemas(fixture.schema())
                .createSchemas(true)
                .locations("classpath:v001-as-shipped")
                .load()
                .migrate();
    }

    private long v001Checksum() throws SQLException {
        return single("SELECT checksum FROM flyway_schema_history WHERE version = '001'");
    }

    private long single(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(ServiceFixture.DB_URL, ServiceFixture.DB_USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO \"" + fixture.schema() + "\"");
            try (ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
