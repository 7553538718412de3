package routes.security;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * What a page on another origin can make a visitor's browser do to the API, with the defaults: read nothing (no
 * CORS headers, preflights refused) and change nothing (a body a page can send without a preflight, text/plain or
 * a form, is refused 415 on every state-changing endpoint, before it is read).
 */
@CamelMainTest(properties = {
        "batch.interval=200"
})
class BrowserSafetyRouteTest extends RouteTestSupport {

    private static final String FOREIGN = "https://attacker.example";
    private static final Duration SOON = Duration.ofSeconds(10);

    private final HttpProbe browser = HttpProbe.plain(owned.httpPort());

    @Test
    void answers_without_cors_headers_by_default() {
        HttpProbe.Answer stats = browser.send("GET", "/stats", "", "Origin", FOREIGN);
        assertEquals(200, stats.status(), stats::toString);
        assertEquals(Map.of(), stats.accessControl(), stats::toString);

        String message = Json.write(Messages.complete(Messages.uniqueSubject("cors"), "r"));
        HttpProbe.Answer posted = browser.send("POST", "/messages", message, "Origin", FOREIGN,
                "Content-Type", "application/json");
        assertEquals(202, posted.status(), posted::toString);
        assertEquals(Map.of(), posted.accessControl(), posted::toString);
    }

    @Test
    void refuses_every_preflight_by_default() {
        for (String path : new String[] {"/messages", "/dead-letters/1/replay", "/dead-letters/replay"}) {
            HttpProbe.Answer preflight = browser.preflight(path, FOREIGN);
            assertError(preflight, 403, "origin not allowed", "http.cors.allowed-origins");
            assertEquals(Map.of(), preflight.accessControl(), preflight::toString);
        }
    }

    /** The tester's attack: a page on another origin replayed a dead letter with a forged text/plain body. */
    @Test
    void a_text_plain_replay_is_refused_with_415_and_replays_nothing() {
        long id = pendingDeadLetter();
        String forgedSender = Messages.uniqueSubject("forged");
        String forged = Json.write(Messages.complete(forgedSender, "victim"));

        HttpProbe.Answer replay = browser.send("POST", "/dead-letters/" + id + "/replay", forged,
                "Origin", FOREIGN, "Content-Type", "text/plain");
        assertError(replay, 415, "unsupported media type", "Content-Type", "text/plain");
        assertEquals(Map.of(), replay.accessControl(), replay::toString);
        HttpProbe.Answer all = browser.send("POST", "/dead-letters/replay", forged, "Content-Type", "text/plain;charset=UTF-8");
        assertError(all, 415, "unsupported media type", "Content-Type");

        JsonNode deadLetter = api.get("/dead-letters/" + id).json();
        assertTrue(deadLetter.path("replayed_at").isNull(), "still pending: " + deadLetter);
        assertEquals(1, deadLetter.path("attempts").asInt(), "not even tried: " + deadLetter);

        // the same replays as JSON, or without a body, reach the route
        HttpProbe.Answer unchanged = browser.send("POST", "/dead-letters/" + id + "/replay", "");
        assertError(unchanged, 422, "still invalid", "dead letter " + id);
        HttpProbe.Answer corrected = browser.send("POST", "/dead-letters/" + id + "/replay", forged,
                "Content-Type", "application/json");
        assertEquals(200, corrected.status(), corrected::toString);
        assertEquals(1, corrected.json().path("replayed").asInt(), corrected::toString);
        await(SOON, () -> table.count("source_subject_id = ?", forgedSender) == 1, "the JSON replay is stored");
    }

    @Test
    void a_form_post_is_refused_with_415() {
        String sender = Messages.uniqueSubject("form");
        String form = "message_data=1&source_subject_id=" + sender + "&destination_subject_ids=r";
        assertError(browser.send("POST", "/messages", form, "Origin", FOREIGN,
                "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported media type", "x-www-form-urlencoded");
        assertError(browser.send("POST", "/messages", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n",
                "Content-Type", "multipart/form-data; boundary=b"), 415, "unsupported media type", "multipart/form-data");
        assertError(browser.send("POST", "/dead-letters/replay", "reason=x", "Content-Type", "application/x-www-form-urlencoded"),
                415, "unsupported media type");
        assertError(browser.send("DELETE", "/dead-letters", "x", "Content-Type", "text/plain"), 415, "unsupported media type");
        assertError(browser.send("POST", "/messages", "{}"), 415, "unsupported media type", "got none");
        // a form body on a GET was a 500 (the body handler refuses to parse it)
        assertError(browser.send("GET", "/stats", "a=b", "Content-Type", "application/x-www-form-urlencoded"),
                415, "unsupported media type");

        ObjectNode marker = Messages.marker();
        assertEquals(202, api.postMessages(Json.write(marker)).status());
        await(SOON, () -> table.countByUuid(UUID.fromString(marker.get("message_uuid").asText())) == 1, "drained");
        assertEquals(0, table.count("source_subject_id = ?", sender), "nothing of the form was stored");
    }

    @Test
    void a_state_changing_request_without_a_body_needs_no_content_type() {
        HttpProbe.Answer replayAll = browser.send("POST", "/dead-letters/replay?reason=nothing-like-this", "");
        assertEquals(200, replayAll.status(), replayAll::toString);
        assertError(browser.send("DELETE", "/dead-letters/999999999", ""), 404, "no dead letter");
    }

    /** A dead letter of this class's own: a malformed entry pushed onto the queue. */
    private long pendingDeadLetter() {
        String payload = "{\"message_data\": {\"unterminated\": \"" + Messages.uniqueSubject("broken");
        queue.push(payload);
        JsonNode deadLetter = awaitValue(SOON, () -> {
            for (JsonNode candidate : api.get("/dead-letters?limit=1000").json()) {
                if (payload.equals(candidate.path("payload").asText())) {
                    return candidate;
                }
            }
            return null;
        }, d -> d != null, "the malformed entry becomes a dead letter");
        return deadLetter.path("id").asLong();
    }

    private static void assertError(HttpProbe.Answer answer, int status, String error, String... mentioned) {
        assertEquals(status, answer.status(), answer::toString);
        assertTrue(answer.header("Content-Type").orElse("").startsWith("application/json"), answer::toString);
        JsonNode body = answer.json();
        assertTrue(body.path("error").asText().startsWith(error), answer::toString);
        assertTrue(body.path("details").isArray(), answer::toString);
        for (String expected : mentioned) {
            assertTrue(body.path("details").toString().contains(expected), "details mention '" + expected + "': " + answer);
        }
    }
}
