package routes.security;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * OWASP API Security Top 10 (2023), API4:2023 Unrestricted Resource Consumption: a client cannot hold a connection
 * of the API by sending slowly or not at all, nor send more than http.max-body-size. Short timeouts here: a request
 * must arrive within 1 s (http.read-timeout), a kept-alive connection may wait 4 s (http.idle-timeout).
 */
@CamelMainTest(properties = {
        "http.max-body-size=65536",
        "http.read-timeout=1000",
        "http.idle-timeout=4000"
})
class ResourceConsumptionRouteTest extends RouteTestSupport {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(4000);
    /** Timers on a busy machine run late; the read deadline is still told apart from the idle one. */
    private static final Duration LATE = Duration.ofMillis(2000);

    private static String postHeaders(int contentLength) {
        return "POST /messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void a_body_that_stops_arriving_is_answered_408_and_the_connection_closed() {
        String body = Json.write(Messages.complete(Messages.uniqueSubject("slow"), "r"));
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            long start = System.nanoTime();
            client.send(postHeaders(body.length()) + body.substring(0, body.length() / 2));

            RawHttpConnection.Response response = client.readResponse(READ_TIMEOUT.plus(LATE));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTimeoutError(response);
            assertTrue(waited.compareTo(READ_TIMEOUT.minusMillis(100)) >= 0, "not before http.read-timeout: " + waited);
            assertEquals("close", response.header("Connection"), response::toString);
            assertEquals("", client.awaitClosedByServer(LATE), "the connection is closed after the 408");
        }
    }

    @Test
    void a_body_sent_a_byte_at_a_time_is_answered_408_at_the_read_timeout() {
        String body = Json.write(Messages.complete(Messages.uniqueSubject("drip"), "r"));
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            client.send(postHeaders(body.length())).drip(body, Duration.ofMillis(100));

            // a byte every 100 ms keeps Vert.x's idle timer from ever firing: only the read deadline ends this
            assertTimeoutError(client.readResponse(READ_TIMEOUT.plus(LATE)));
            client.awaitClosedByServer(LATE);
        }
    }

    @Test
    void headers_that_never_finish_close_the_connection_at_the_read_timeout() {
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            long start = System.nanoTime();
            client.send("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\n");

            assertEquals("", client.awaitClosedByServer(READ_TIMEOUT.plus(LATE)), "closed without an answer");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(waited.compareTo(READ_TIMEOUT.minusMillis(100)) >= 0, "not before http.read-timeout: " + waited);
        }
    }

    @Test
    void headers_sent_a_byte_at_a_time_close_the_connection_at_the_read_timeout() {
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            client.drip("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "x".repeat(200) + "\r\n\r\n",
                    Duration.ofMillis(100));
            // the whole head would take 23 s at this pace
            client.awaitClosedByServer(READ_TIMEOUT.plus(LATE));
        }
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_at_the_read_timeout() {
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            assertEquals("", client.awaitClosedByServer(READ_TIMEOUT.plus(LATE)));
        }
    }

    @Test
    void an_idle_kept_alive_connection_is_closed_at_the_idle_timeout() throws InterruptedException {
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            assertEquals(200, client.send(RawHttpConnection.get("/stats")).readResponse(LATE).status());
            // a pause longer than the read timeout between requests is fine: that is what keep-alive is for (the
            // pause is the behaviour under test, not a wait for an outcome)
            Thread.sleep(READ_TIMEOUT.toMillis() + 500);
            assertEquals(200, client.send(RawHttpConnection.get("/stats")).readResponse(LATE).status(),
                    "the connection is still open for the next request");

            long idleFrom = System.nanoTime();
            client.awaitClosedByServer(IDLE_TIMEOUT.plus(LATE));
            Duration idle = Duration.ofNanos(System.nanoTime() - idleFrom);
            assertTrue(idle.compareTo(IDLE_TIMEOUT.minusMillis(200)) >= 0, "kept open for http.idle-timeout: " + idle);
        }
    }

    @Test
    void a_body_over_the_size_limit_is_still_answered_413() {
        ObjectNode message = Messages.complete(Messages.uniqueSubject("large"), "r");
        message.put("message_data", "x".repeat(70_000));
        ApiResponse response = api.postMessages(Json.write(message));
        assertEquals(413, response.status(), response::toString);
        assertEquals("payload too large", response.json().path("error").asText(), response::toString);

        // announced too large: refused from the headers, before anything of the body is read
        try (RawHttpConnection client = RawHttpConnection.open(owned.httpPort())) {
            RawHttpConnection.Response refused = client.send(postHeaders(10_000_000)).readResponse(LATE);
            assertEquals(413, refused.status(), refused::toString);
            assertTrue(refused.json().path("details").toString().contains("http.max-body-size"), refused::toString);
        }
    }

    private static void assertTimeoutError(RawHttpConnection.Response response) {
        assertEquals(408, response.status(), response::toString);
        assertTrue(response.header("Content-Type").startsWith("application/json"), response::toString);
        JsonNode error = response.json();
        assertEquals("request timeout", error.path("error").asText(), response::toString);
        assertTrue(error.path("details").isArray(), response::toString);
        assertTrue(error.path("details").toString().contains("http.read-timeout"), response::toString);
    }
}
