package routes.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate in front of a real Vert.x router with one route, as ApiHttpServer places it: 503 with Retry-After and
 * a JSON error on every path until it opens, the route's own answer after, 503 again once it closes.
 */
class ReadinessGateTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ReadinessGate gate = new ReadinessGate(new ErrorResponses(MAPPER));
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().order(-250).handler(gate);
        router.post("/messages").handler(ctx -> ctx.request().body().onSuccess(body ->
                ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end("{\"status\":\"accepted\"}")));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void answers_503_with_retry_after_json_on_every_path_until_open() throws Exception {
        for (HttpResponse<String> response : List.of(post("/messages"), get("/messages/123"), get("/no/such/path"))) {
            assertUnavailable(response, "1", "starting");
        }
        assertFalse(gate.isOpen());
    }

    @Test
    void lets_requests_through_once_open() throws Exception {
        gate.open();

        HttpResponse<String> accepted = post("/messages");
        assertEquals(202, accepted.statusCode(), accepted::body);
        assertEquals("accepted", MAPPER.readTree(accepted.body()).path("status").asText());
        assertEquals(404, get("/no/such/path").statusCode(), "after it opens, unknown paths are the router's to answer");
    }

    @Test
    void answers_503_again_once_closed() throws Exception {
        gate.open();
        assertEquals(202, post("/messages").statusCode());

        gate.close();

        assertUnavailable(post("/messages"), "5", "shutting down");
        assertUnavailable(get("/no/such/path"), "5", "shutting down");
    }

    private static void assertUnavailable(HttpResponse<String> response, String retryAfter, String why) throws Exception {
        String where = response.request().method() + " " + response.uri().getPath() + ": " + response.body();
        assertEquals(503, response.statusCode(), where);
        assertEquals(retryAfter, response.headers().firstValue("Retry-After").orElse(null), where);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null), where);
        JsonNode body = MAPPER.readTree(response.body());
        assertEquals("service unavailable", body.path("error").asText(), where);
        assertEquals(1, body.path("details").size(), where);
        assertTrue(body.path("details").get(0).asText().contains(why), where);
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message_data\":1}")));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }
}
