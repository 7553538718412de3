package routes.observe;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * GET /stats after a known load: every accepted message is persisted, waiting, in flight or dead-lettered,
 * while the drain is held back and after it has caught up.
 */
@CamelMainTest(properties = {
        "batch.size=100",
        "batch.interval=300"
})
class PipelineStatsRouteTest extends RouteTestSupport {

    private static final Duration SOON = Duration.ofSeconds(15);

    @Test
    void accepted_equals_persisted_plus_waiting_plus_in_flight_plus_dead() throws Exception {
        await(SOON, table::exists, "the table exists");
        getCamelContext().getRouteController().suspendRoute("drain-queue");
        post(3, 100);
        post(1, 50);

        JsonNode held = awaitValue(SOON, this::stats, s -> s.path("queue").path("depth").asLong() == 350,
                "350 messages waiting while the drain is suspended");
        assertEquals(350, held.path("messages").path("accepted").asLong(), held::toString);
        assertEquals(0, held.path("messages").path("persisted").asLong(), held::toString);
        assertAddsUp(held);

        getCamelContext().getRouteController().resumeRoute("drain-queue");
        JsonNode drained = awaitValue(SOON, this::stats, s -> s.path("messages").path("persisted").asLong() == 350,
                "all 350 persisted");
        assertAddsUp(drained);
        assertEquals(0, drained.path("queue").path("depth").asLong(), drained::toString);
        assertEquals(350, table.count());

        JsonNode batches = drained.path("batches");
        assertTrue(batches.path("written").asLong() >= 4, "at least 350 / batch.size batches: " + batches);
        assertEquals(350.0 / batches.path("written").asLong(), batches.path("mean_size").asDouble(), 0.01, batches::toString);
        assertTrue(batches.path("last_write").path("size").asInt() > 0, batches::toString);
        assertTrue(drained.path("rates").path("ingest_per_second").asDouble() > 0, drained::toString);
        assertTrue(drained.path("rates").path("persist_per_second").asDouble() > 0, drained::toString);
        assertEquals(owned.feedPort(), drained.path("feed").path("port").asInt(), drained::toString);
    }

    private void post(int requests, int perRequest) {
        for (int r = 0; r < requests; r++) {
            ArrayNode array = Json.array();
            for (int i = 0; i < perRequest; i++) {
                array.add(Messages.minimal(Messages.uniqueSubject("stats"), "r"));
            }
            ApiResponse accepted = api.postMessages(Json.write(array));
            assertEquals(202, accepted.status(), accepted::toString);
        }
    }

    private JsonNode stats() {
        ApiResponse response = api.get("/stats");
        assertEquals(200, response.status(), response::toString);
        assertEquals("application/json", response.header("Content-Type").orElse(""), response::toString);
        return response.json();
    }

    private static void assertAddsUp(JsonNode stats) {
        JsonNode messages = stats.path("messages");
        JsonNode queue = stats.path("queue");
        assertEquals(queue.path("waiting").asLong() + queue.path("in_flight").asLong(), queue.path("depth").asLong(), stats::toString);
        assertEquals(messages.path("accepted").asLong(),
                messages.path("persisted").asLong() + queue.path("depth").asLong() + messages.path("dead_lettered").asLong(),
                "accepted = persisted + waiting + in flight + dead: " + stats);
    }
}
