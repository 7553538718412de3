package routes.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import routes.support.TcpProxy;
import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * A drain that stores nothing while messages wait is visible: readiness goes DOWN naming the likely reason and
 * /stats says "stalled", for a drain suspended by an operator and for a database out of reach (a proxy the test
 * cuts); both recover once the drain moves again, and the waiting message is stored.
 */
@CamelMainTest(properties = {
        "db.url=jdbc:postgresql://127.0.0.1:{{sys:DrainStallRouteTest.db.proxy-port}}/test",
        "db.timeout=500",
        "drain.stall-timeout=2000",
        "batch.size=10",
        "batch.interval=200",
        "retry.initial-delay=100",
        "retry.max-delay=500"
})
class DrainStallRouteTest extends RouteTestSupport {

    private static final Duration SOON = Duration.ofSeconds(15);

    private final TcpProxy database = TcpProxy.publishedAs("DrainStallRouteTest.db.proxy-port", 5432);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    void closeProxy() throws IOException {
        database.restore();
        database.close();
    }

    @Test
    void a_suspended_drain_with_messages_waiting_is_stalled_until_it_resumes() throws Exception {
        await(SOON, () -> readiness().statusCode() == 200, "ready at start");
        assertEquals("idle", drain().path("state").asText());

        getCamelContext().getRouteController().suspendRoute("drain-queue");
        String sender = Messages.uniqueSubject("stall");
        queue.push(Json.write(Messages.minimal(sender, "r")));

        await(SOON, () -> {
            HttpResponse<String> ready = readiness();
            return ready.statusCode() == 503 && ready.body().contains("suspended by an operator");
        }, "readiness is DOWN and names the operator's pause");
        JsonNode stalled = drain();
        assertEquals("stalled", stalled.path("state").asText(), stalled::toString);
        assertEquals("suspended by an operator", stalled.path("reason").asText(), stalled::toString);
        assertTrue(stalled.path("stalled_for_seconds").asLong() >= 2, stalled::toString);
        assertEquals(200, management("/observe/health/live").statusCode(), "a stall does not ask for a restart");

        getCamelContext().getRouteController().resumeRoute("drain-queue");
        await(SOON, () -> table.count("source_subject_id = ?", sender) == 1, "the waiting message is stored");
        await(SOON, () -> readiness().statusCode() == 200, "ready again");
        JsonNode recovered = awaitValue(SOON, this::drain, d -> !d.path("state").asText().equals("stalled"), "not stalled");
        assertTrue(recovered.path("reason").isNull(), recovered::toString);
        assertFalse(recovered.path("last_progress").isNull(), recovered::toString);
    }

    @Test
    void a_database_out_of_reach_is_named_as_the_reason() throws Exception {
        await(SOON, () -> readiness().statusCode() == 200, "ready at start");
        String sender = Messages.uniqueSubject("stall-db");
        database.cut();
        try {
            ApiResponse accepted = api.postMessages(Json.write(Messages.minimal(sender, "r")));
            assertEquals(202, accepted.status(), accepted::toString);
            await(SOON, () -> {
                HttpResponse<String> ready = readiness();
                return ready.statusCode() == 503 && ready.body().contains("database unreachable");
            }, "readiness is DOWN and names the database");
            JsonNode stalled = drain();
            assertEquals("stalled", stalled.path("state").asText(), stalled::toString);
            assertEquals("database unreachable", stalled.path("reason").asText(), stalled::toString);
        } finally {
            database.restore();
        }
        await(SOON, () -> table.count("source_subject_id = ?", sender) == 1, "stored once the database returns");
        await(SOON, () -> readiness().statusCode() == 200, "ready again");
    }

    @Test
    void exposes_counters_of_unreadable_entries_and_failed_claims() throws Exception {
        String metrics = management("/observe/metrics").body();
        assertTrue(metrics.contains("message_logger_entries_unreadable_total"), metrics);
        assertTrue(metrics.contains("message_logger_claims_failed_total"), metrics);
    }

    private HttpResponse<String> readiness() throws Exception {
        return management("/observe/health/ready?exposureLevel=full");
    }

    private HttpResponse<String> management(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + owned.managementPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode drain() {
        ApiResponse stats = api.get("/stats");
        assertEquals(200, stats.status(), stats::toString);
        return stats.json().path("drain");
    }
}
