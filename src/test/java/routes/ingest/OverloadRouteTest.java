package routes.ingest;

import java.time.Duration;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/** Above ingest.max-queue-depth waiting messages, ingest answers 429 with Retry-After; it lets them in again once the queue drains. */
@CamelMainTest(properties = {
        "ingest.max-queue-depth=100",
        "batch.interval=200"
})
class OverloadRouteTest extends RouteTestSupport {

    @Test
    void turns_ingest_away_above_the_queue_depth_and_lets_it_back_in_when_the_queue_drains() throws Exception {
        String sender = Messages.uniqueSubject("overload");
        getCamelContext().getRouteController().suspendRoute("drain-queue");
        int accepted = 0;
        ApiResponse refused = null;
        for (int i = 0; i < 400 && refused == null; i++) {
            ApiResponse response = api.postMessages(Json.write(Messages.minimal(sender, "r")));
            if (response.status() == 202) {
                accepted++;
            } else {
                refused = response;
            }
        }
        assertNotNull(refused, "ingest was never turned away");
        assertEquals(429, refused.status(), refused.toString());
        assertEquals("1", refused.header("Retry-After").orElse(null), refused.toString());
        assertTrue(refused.json().get("details").get(0).asText().contains("ingest.max-queue-depth"), refused.toString());
        assertTrue(accepted > 100, "accepted " + accepted + " before turning away");

        getCamelContext().getRouteController().resumeRoute("drain-queue");
        int stored = accepted;
        await(Duration.ofSeconds(15), () -> table.count("source_subject_id = ?", sender) == stored, "the queue drains");
        await(Duration.ofSeconds(5), () -> api.postMessages(Json.write(Messages.minimal(sender, "r"))).status() == 202,
                "ingest takes messages again");
    }
}
