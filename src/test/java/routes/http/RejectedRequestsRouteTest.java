package routes.http;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/** Every request the API refuses gets its status and a JSON error naming the problem, and queues nothing. */
@CamelMainTest(properties = {
        "batch.interval=200",
        "http.max-body-size=65536",
        "ingest.max-messages=5"
})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RejectedRequestsRouteTest extends RouteTestSupport {

    // ---------------------------------------------------------------- POST /messages

    @Test
    void rejects_malformed_json_with_400() {
        assertError(api.postMessages("{\"message_data\": {\"a\": 1},"), 400, "malformed JSON", "body");
        assertError(api.postMessages("{\"message_data\": 1} trailing"), 400, "malformed JSON", "body");
        assertError(api.postMessages(""), 400, "malformed JSON", "body");
    }

    @Test
    void rejects_a_body_that_is_not_a_message_with_400() {
        assertError(api.postMessages("42"), 400, "invalid message", "body");
        assertError(api.postMessages("[]"), 400, "invalid message", "body");
        assertError(api.postMessages("null"), 400, "invalid message", "body");
    }

    @Test
    void rejects_fields_of_the_wrong_type_with_400() {
        ObjectNode message = refusable();
        message.put("source_subject_id", 42);
        message.put("destination_subject_ids", "subject-B");
        message.put("topic", 7);
        message.put("message_type", "");
        message.put("message_uuid", 12345);

        JsonNode error = assertError(api.postMessages(Json.write(message)), 400, "invalid message",
                "source_subject_id", "destination_subject_ids", "topic", "message_type", "message_uuid");
        assertEquals(5, error.get("details").size(), "one line per problem: " + error);

        ObjectNode badRecipient = refusable();
        badRecipient.putArray("destination_subject_ids").add("ok").add(3).add("");
        assertError(api.postMessages(Json.write(badRecipient)), 400, "invalid message",
                "destination_subject_ids[1]", "destination_subject_ids[2]");
    }

    @Test
    void rejects_a_message_missing_required_fields_with_400() {
        JsonNode error = assertError(api.postMessages("{\"topic\":\"t\"}"), 400, "invalid message",
                "message_data", "source_subject_id", "destination_subject_ids");
        assertEquals(3, error.get("details").size(), error::toString);

        ObjectNode nullData = refusable();
        nullData.putNull("message_data");
        assertError(api.postMessages(Json.write(nullData)), 400, "invalid message", "message_data");
    }

    @Test
    void rejects_an_unknown_field_with_400() {
        ObjectNode message = refusable();
        message.put("sender", "subject-A");
        assertError(api.postMessages(Json.write(message)), 400, "invalid message", "sender: unknown field");
    }

    @Test
    void rejects_a_malformed_message_uuid_with_400() {
        for (String uuid : List.of("not-a-uuid", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400Z")) {
            ObjectNode message = refusable();
            message.put("message_uuid", uuid);
            assertError(api.postMessages(Json.write(message)), 400, "invalid message", "message_uuid");
        }
    }

    @Test
    void rejects_an_invalid_timestamp_with_400() {
        for (String timestamp : List.of("yesterday", "2025-05-27T10:30:00", "2025-13-27T10:30:00Z", "2025-05-27 10:30:00+00:00")) {
            ObjectNode message = refusable();
            message.put("origin_ts", timestamp);
            assertError(api.postMessages(Json.write(message)), 400, "invalid message", "origin_ts");
        }
        ObjectNode message = refusable();
        message.put("ack_ts", true);
        assertError(api.postMessages(Json.write(message)), 400, "invalid message", "ack_ts");
    }

    @Test
    void names_the_index_of_each_bad_item_of_an_array_and_queues_none_of_it() {
        ObjectNode good = refusable();
        ObjectNode noSender = refusable();
        noSender.remove("source_subject_id");
        ObjectNode badUuid = refusable();
        badUuid.put("message_uuid", "nope");
        ArrayNode request = Json.array().add(good).add(noSender).add(refusable()).add(badUuid);

        JsonNode error = assertError(api.postMessages(Json.write(request)), 400, "invalid message",
                "[1].source_subject_id", "[3].message_uuid");
        assertEquals(2, error.get("details").size(), error::toString);

        ArrayNode notObjects = Json.array().add(refusable()).add("text");
        assertError(api.postMessages(Json.write(notObjects)), 400, "invalid message", "[1]");

        awaitMarkerStored();
        assertEquals(0, table.countByUuid(UUID.fromString(good.get("message_uuid").asText())),
                "the valid item of a refused array is not stored");
    }

    @Test
    void rejects_a_body_over_the_size_limit_with_413() {
        ObjectNode message = refusable();
        message.put("message_data", "x".repeat(70_000));
        assertError(api.postMessages(Json.write(message)), 413, "payload too large", "http.max-body-size");
    }

    @Test
    void rejects_more_messages_than_allowed_in_one_request_with_413() {
        ArrayNode request = Json.array();
        for (int i = 0; i < 6; i++) {
            request.add(refusable());
        }
        assertError(api.postMessages(Json.write(request)), 413, "too many messages", "at most 5");

        ArrayNode allowed = Json.array();
        for (int i = 0; i < 5; i++) {
            allowed.add(acceptable());
        }
        assertEquals(202, api.postMessages(Json.write(allowed)).status(), "ingest.max-messages itself is allowed");
    }

    @Test
    void rejects_a_body_that_is_not_declared_json_with_415() {
        String body = Json.write(refusable());
        assertError(api.post("/messages", "text/plain", body), 415, "unsupported media type", "Content-Type");
        assertError(api.post("/messages", "application/x-www-form-urlencoded", "a=b"), 415, "unsupported media type", "Content-Type");
        assertEquals(202, api.post("/messages", "application/json; charset=utf-8", Json.write(acceptable())).status(),
                "a charset parameter is fine");
    }

    // ---------------------------------------------------------------- routing

    @Test
    void answers_an_unknown_path_with_404() {
        assertError(api.get("/nothing/here"), 404, "not found", "/nothing/here");
        assertError(api.post("/message", "application/json", Json.write(refusable())), 404, "not found", "/message");
    }

    @Test
    void answers_a_method_the_path_does_not_take_with_405_and_allow() {
        ApiResponse delete = api.send("DELETE", "/messages");
        assertError(delete, 405, "method not allowed", "DELETE");
        assertEquals("POST", delete.header("Allow").orElse(null), delete::toString);

        ApiResponse put = api.send("PUT", "/messages/" + UUID.randomUUID());
        assertError(put, 405, "method not allowed", "PUT");
        assertEquals("GET", put.header("Allow").orElse(null), put::toString);

        ApiResponse post = api.post("/messages/subject/someone", "application/json", "{}");
        assertError(post, 405, "method not allowed", "POST");
        assertEquals("GET", post.header("Allow").orElse(null), post::toString);
    }

    // ---------------------------------------------------------------- GET /messages/{uuid}

    @Test
    void rejects_a_malformed_uuid_with_400() {
        assertError(api.get("/messages/not-a-uuid"), 400, "invalid uuid", "message_uuid");
        assertError(api.get("/messages/123e4567-e89b-12d3-a456-42661417400"), 400, "invalid uuid", "message_uuid");
    }

    @Test
    void answers_an_unknown_uuid_with_404() {
        UUID unknown = UUID.randomUUID();
        JsonNode error = assertError(api.get("/messages/" + unknown), 404, "no message with uuid " + unknown);
        assertTrue(error.get("details").isArray(), error::toString);
    }

    // ---------------------------------------------------------------- GET /messages/subject/{subject_id}

    @Test
    void rejects_a_limit_outside_1_to_the_maximum_with_400() {
        for (String limit : List.of("0", "-1", "1001", "abc", "2.5")) {
            assertError(api.get("/messages/subject/someone?limit=" + limit), 400, "invalid limit", "limit", "'" + limit + "'");
        }
        assertEquals(200, api.get("/messages/subject/someone?limit=1000").status(), "the maximum itself is allowed");
        assertEquals(200, api.get("/messages/subject/someone?limit=1").status());
    }

    @Test
    void rejects_a_cursor_it_did_not_issue_with_400() {
        for (String cursor : List.of("garbage", "bm90LWEtY3Vyc29y", "!!!")) {
            assertError(api.get("/messages/subject/someone?cursor=" + cursor), 400, "invalid cursor", "cursor");
        }
    }

    // ---------------------------------------------------------------- nothing refused is queued

    @Test
    @Order(Integer.MAX_VALUE)
    void refused_requests_are_never_queued_nor_dead_lettered() {
        awaitMarkerStored();
        assertEquals(0, table.count("source_subject_id LIKE 'refused-%'"), "no refused message is stored");
        assertEquals(Json.array(), api.get("/dead-letters").json(), "a refused request never becomes a dead letter");
    }

    // ---------------------------------------------------------------- helpers

    /** A message a test is about to break; its sender marks it as one that must never be stored. */
    private static ObjectNode refusable() {
        return Messages.complete("refused-" + UUID.randomUUID(), "subject-B");
    }

    /** A message a test means to be accepted. */
    private static ObjectNode acceptable() {
        return Messages.complete(Messages.uniqueSubject("accepted"), "subject-B");
    }

    /** Everything posted before the marker has been drained once the marker is stored (the list is FIFO). */
    private void awaitMarkerStored() {
        ObjectNode marker = Messages.marker();
        assertEquals(202, api.postMessages(Json.write(marker)).status());
        UUID uuid = UUID.fromString(marker.get("message_uuid").asText());
        await(Duration.ofSeconds(10), () -> table.countByUuid(uuid) == 1, "the marker is stored");
    }

    /**
     * Asserts the status, a JSON content type and a body {"error": ..., "details": [...]} whose error starts with
     * {@code error} and whose details mention each of {@code mentioned}.
     */
    private static JsonNode assertError(ApiResponse response, int status, String error, String... mentioned) {
        assertEquals(status, response.status(), response::toString);
        assertTrue(response.header("Content-Type").orElse("").startsWith("application/json"), "JSON error body: " + response);
        JsonNode body = response.json();
        assertTrue(body.path("error").isTextual(), "has an error: " + response);
        assertTrue(body.path("error").asText().startsWith(error), "error '" + error + "': " + response);
        assertTrue(body.path("details").isArray(), "has details: " + response);
        String details = body.path("details").toString();
        for (String expected : mentioned) {
            assertTrue(details.contains(expected), "details mention '" + expected + "': " + response);
        }
        return body;
    }
}
