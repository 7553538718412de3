package routes.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.MessageTable;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static routes.support.Await.await;

/** On plain PostgreSQL, rows older than storage.retention are deleted in bounded chunks; newer ones stay. */
@CamelMainTest(properties = {
        "storage.retention=30 days",
        "storage.retention-check-interval=500",
        "storage.retention-chunk=100"
})
class RetentionRouteTest extends RouteTestSupport {

    @Test
    void deletes_rows_older_than_the_retention_window_in_chunks() throws Exception {
        await(Duration.ofSeconds(10), table::exists, "the table exists");
        try (Connection c = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             Statement s = c.createStatement()) {
            // 350 expired rows (more than three chunks of 100) and 20 recent ones
            s.execute("INSERT INTO " + owned.schema() + ".message_exchange (message_uuid, origin_ts, message_data, "
                    + "source_subject_id, destination_subject_ids) SELECT gen_random_uuid(), now() - interval '40 days' "
                    + "- g * interval '1 minute', '1', 'old', ARRAY['x'] FROM generate_series(1, 350) g");
            s.execute("INSERT INTO " + owned.schema() + ".message_exchange (message_uuid, origin_ts, message_data, "
                    + "source_subject_id, destination_subject_ids) SELECT gen_random_uuid(), now() - interval '29 days' "
                    + "- g * interval '1 minute', '1', 'recent', ARRAY['x'] FROM generate_series(1, 20) g");
        }
        await(Duration.ofSeconds(20), () -> table.count("source_subject_id = 'old'") == 0, "expired rows are deleted");
        assertEquals(20, table.count("source_subject_id = 'recent'"));
    }
}
