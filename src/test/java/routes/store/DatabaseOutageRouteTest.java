package routes.store;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.DeadLetterRows;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;
import routes.support.TcpProxy;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.holdsFor;

/**
 * PostgreSQL out of reach (a proxy the test cuts) for longer than the retry schedule's longest wait, while
 * messages keep arriving: ingest goes on, queries answer 503, nothing is dead-lettered, and when the database
 * returns everything is stored exactly once.
 */
@CamelMainTest(properties = {
        "db.url=jdbc:postgresql://127.0.0.1:{{sys:DatabaseOutageRouteTest.db.proxy-port}}/test",
        "db.timeout=500",
        "batch.size=50",
        "batch.interval=200",
        "retry.initial-delay=100",
        "retry.max-delay=800"
})
class DatabaseOutageRouteTest extends RouteTestSupport {

    private final TcpProxy database = TcpProxy.publishedAs("DatabaseOutageRouteTest.db.proxy-port", 5432);
    private final DeadLetterRows deadLetters = new DeadLetterRows(owned.schema());

    @AfterAll
    void closeProxy() throws IOException {
        database.close();
    }

    @Test
    void buffers_in_redis_while_the_database_is_down_and_stores_everything_once_when_it_returns() {
        String sender = Messages.uniqueSubject("outage");
        List<UUID> accepted = new ArrayList<>();
        accepted.add(post(sender));
        await(Duration.ofSeconds(10), () -> table.countByUuid(accepted.get(0)) == 1, "stored before the outage");

        database.cut();
        long cutAt = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            accepted.add(post(sender));
        }
        ApiResponse query = api.get("/messages/" + accepted.get(0));
        assertEquals(503, query.status(), query::toString);
        assertEquals("service unavailable", query.json().get("error").asText());
        assertTrue(query.header("Retry-After").isPresent(), query::toString);

        // longer than the longest wait of the retry schedule (retry.max-delay=800): several full cycles
        holdsFor(Duration.ofSeconds(4), () -> table.count("source_subject_id = ?", sender) == 1,
                "nothing is written while the database is out of reach");
        assertTrue((System.nanoTime() - cutAt) / 1_000_000 > 4000);
        database.restore();

        await(Duration.ofSeconds(30), () -> table.count("source_subject_id = ?", sender) == accepted.size(),
                "every accepted message is stored after the database returns");
        assertEquals(accepted.size(), table.count("source_subject_id = ? AND message_uuid = ANY (?::uuid[])", sender,
                accepted.stream().map(UUID::toString).toArray(String[]::new)));
        assertEquals(List.of(), deadLetters.all(), "nothing storable is dead-lettered");
        await(Duration.ofSeconds(5), () -> queue.waiting() == 0 && queue.claimedBy(owned.instanceId()) == 0,
                "the queue and this instance's claims are empty");
        assertEquals(200, api.get("/messages/" + accepted.get(1)).status());
    }

    private UUID post(String sender) {
        ApiResponse response = api.postMessages(Json.write(Messages.minimal(sender, "r")));
        assertEquals(202, response.status(), response::toString);
        return UUID.fromString(response.json().get("message_uuid").asText());
    }
}
