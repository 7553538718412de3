package routes.observe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

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

/**
 * What operators watch and do: readiness that names the dependency that is down (cut through proxies),
 * Prometheus metrics after a known load, the OpenAPI document, and a stopped ingest route answering 503.
 */
@CamelMainTest(properties = {
        "db.url=jdbc:postgresql://127.0.0.1:{{sys:OperationsRouteTest.db.proxy-port}}/test",
        "db.timeout=500",
        "redis.url=redis://127.0.0.1:{{sys:OperationsRouteTest.redis.proxy-port}}",
        "redis.timeout=500",
        "batch.size=10",
        "batch.interval=200"
})
class OperationsRouteTest extends RouteTestSupport {

    private final TcpProxy database = TcpProxy.publishedAs("OperationsRouteTest.db.proxy-port", 5432);
    private final TcpProxy redis = TcpProxy.publishedAs("OperationsRouteTest.redis.proxy-port", 6379);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    void closeProxies() throws IOException {
        database.close();
        redis.close();
    }

    private HttpResponse<String> management(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + owned.managementPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readiness_goes_down_naming_the_dependency_and_comes_back_up() throws Exception {
        await(Duration.ofSeconds(10), () -> management("/observe/health/ready").statusCode() == 200, "ready at start");

        redis.cut();
        await(Duration.ofSeconds(10), () -> {
            HttpResponse<String> ready = management("/observe/health/ready?exposureLevel=full");
            return ready.statusCode() == 503 && ready.body().contains("Redis is unreachable");
        }, "readiness is DOWN and says Redis");
        assertEquals(200, management("/observe/health/live").statusCode(), "an outage does not ask for a restart");
        redis.restore();
        await(Duration.ofSeconds(10), () -> management("/observe/health/ready").statusCode() == 200, "ready again after Redis returns");

        database.cut();
        await(Duration.ofSeconds(10), () -> {
            HttpResponse<String> ready = management("/observe/health/ready?exposureLevel=full");
            return ready.statusCode() == 503 && ready.body().contains("PostgreSQL is unreachable");
        }, "readiness is DOWN and says PostgreSQL");
        database.restore();
        await(Duration.ofSeconds(15), () -> management("/observe/health/ready").statusCode() == 200, "ready again after PostgreSQL returns");
    }

    @Test
    void metrics_count_a_known_load() throws Exception {
        String sender = Messages.uniqueSubject("metrics");
        for (int i = 0; i < 25; i++) {
            assertEquals(202, api.postMessages(Json.write(Messages.minimal(sender, "r"))).status());
        }
        await(Duration.ofSeconds(15), () -> table.count("source_subject_id = ?", sender) == 25, "stored");
        await(Duration.ofSeconds(5), () -> metric(management("/observe/metrics").body(), "message_logger_persisted_total") >= 25,
                "persisted counter");
        String metrics = management("/observe/metrics").body();
        assertTrue(metric(metrics, "message_logger_accepted_total") >= 25, metrics);
        assertEquals(0.0, metric(metrics, "message_logger_queue_depth"));
        assertEquals(0.0, metric(metrics, "message_logger_in_flight"));
        assertTrue(metric(metrics, "message_logger_batch_size_count") >= 3, "25 messages in batches of at most 10");
        assertTrue(metric(metrics, "message_logger_batch_size_max") <= 10.0);
        assertTrue(metric(metrics, "message_logger_batch_write_seconds_count") >= 3);
        assertTrue(metric(metrics, "message_logger_persist_latency_seconds_count") >= 25);
        assertTrue(metrics.contains("message_logger_dead_lettered_total"), "dead-letter counter is exposed");
        assertTrue(metrics.contains("routeId=\"ingest-http\""), "Camel's per-route metrics are exposed");
    }

    @Test
    void serves_an_openapi_document_of_the_rest_api() {
        ApiResponse openapi = api.get("/openapi.json");
        assertEquals(200, openapi.status(), openapi::toString);
        assertTrue(openapi.json().get("paths").has("/messages/{uuid}"), openapi::toString);
        assertTrue(openapi.json().get("paths").has("/dead-letters"), openapi::toString);
    }

    @Test
    void a_stopped_ingest_route_answers_503_and_takes_messages_again_once_started() throws Exception {
        getCamelContext().getRouteController().stopRoute("ingest-http");
        ApiResponse stopped = api.postMessages(Json.write(Messages.minimal("a", "b")));
        assertEquals(503, stopped.status(), stopped::toString);
        assertTrue(stopped.header("Retry-After").isPresent());
        getCamelContext().getRouteController().startRoute("ingest-http");
        assertEquals(202, api.postMessages(Json.write(Messages.minimal("a", "b"))).status());
    }

    @Test
    void jolokia_suspends_and_resumes_a_route_over_http() throws Exception {
        String route = "/observe/jolokia/exec/org.apache.camel:context=message-logger,type=routes,name=%22drain-queue%22/";
        String state = "/observe/jolokia/read/org.apache.camel:context=message-logger,type=routes,name=%22drain-queue%22/State";
        assertEquals(200, management(route + "suspend()").statusCode());
        assertTrue(management(state).body().contains("\"value\":\"Suspended\""), () -> "state after suspend");
        assertEquals(200, management(route + "resume()").statusCode());
        assertTrue(management(state).body().contains("\"value\":\"Started\""), () -> "state after resume");
        assertTrue(management("/observe/jolokia/exec/java.lang:type=Memory/gc").body().contains("forbidden"),
                "the JVM's own operations stay closed");
    }

    /** The value of an unlabelled sample, or NaN when absent. */
    static double metric(String exposition, String name) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
