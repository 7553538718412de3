package routes.drain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Other services LPUSH straight onto the list: the drain stores what it can and keeps the rest as dead letters
 * (the message_dead_letter table, listed by GET /dead-letters), without stopping.
 */
@CamelMainTest(properties = {
        "batch.interval=200"
})
class QueueDrainRouteTest extends RouteTestSupport {

    private static final Duration DRAINED = Duration.ofSeconds(10);

    /** The example of the reference document, as a producer would push it. */
    private static final String REFERENCE_MESSAGE = """
            {
            "message_uuid": "123e4567-e89b-12d3-a456-426614174000",
            "origin_ts": "2025-05-27T10:30:00Z",
            "ack_ts": "2025-05-27T10:30:01Z",
            "message_data": {"text": "hello"},
            "source_subject_id": "subject-A",
            "destination_subject_ids": ["subject-B"],
            "topic": "greetings",
            "message_type": "chat",
            "message_metadata": {"priority": "high"}
            }""";

    @Test
    void a_message_pushed_in_the_reference_format_is_stored() {
        queue.push(REFERENCE_MESSAGE);

        ApiResponse stored = awaitValue(DRAINED, () -> api.get("/messages/123e4567-e89b-12d3-a456-426614174000"),
                r -> r.status() == 200, "the reference message is stored");
        assertEquals(Json.parse(REFERENCE_MESSAGE), stored.json(), "the reference document's response, exactly");
        assertEquals(Json.parse("[" + REFERENCE_MESSAGE + "]"), api.get("/messages/subject/subject-B").json());
        awaitNothingClaimed();
    }

    @Test
    void a_message_pushed_without_uuid_or_origin_ts_is_stored_exactly_once() {
        String sender = Messages.uniqueSubject("sender");
        ObjectNode pushed = Messages.minimal(sender, "r");
        Instant before = Instant.now();

        queue.push(Json.write(pushed));
        await(DRAINED, () -> table.count("source_subject_id = ?", sender) == 1, "the message is stored");
        pushMarkerAndAwaitIt();

        assertEquals(1, table.count("source_subject_id = ?", sender), "stored once, not once per claim or batch");
        awaitNothingClaimed();
        JsonNode page = api.get("/messages/subject/" + sender).json();
        assertEquals(1, page.size(), page::toString);
        JsonNode stored = page.get(0);
        assertEquals(7, UUID.fromString(stored.path("message_uuid").asText()).version(), "a generated uuid is v7");
        Instant origin = Instant.parse(stored.path("origin_ts").asText());
        assertFalse(origin.isBefore(before.minusMillis(1)) || origin.isAfter(Instant.now()),
                "origin_ts " + origin + " is when the drain took the message");
        ObjectNode expected = pushed.deepCopy();
        expected.put("message_uuid", stored.path("message_uuid").asText());
        expected.put("origin_ts", stored.path("origin_ts").asText());
        assertEquals(Json.normalisedMessage(expected), Json.normalisedMessage(stored));
    }

    @Test
    void an_invalid_entry_is_dead_lettered_with_its_reason_and_the_drain_goes_on() {
        String notJson = "this is {not json " + UUID.randomUUID();
        String missingSender = "{\"message_data\":{\"a\":1},\"destination_subject_ids\":[\"x\"],\"topic\":\"" + UUID.randomUUID() + "\"}";
        ObjectNode valid = Messages.complete(Messages.uniqueSubject("sender"), "r");

        queue.push(notJson);
        queue.push(missingSender);
        queue.push(Json.write(valid));

        awaitValue(DRAINED, () -> api.get("/messages/" + valid.get("message_uuid").asText()),
                r -> r.status() == 200, "the valid message pushed after the invalid ones is stored");
        JsonNode malformed = awaitDeadLetter(notJson);
        assertEquals("malformed JSON", malformed.path("reason").asText(), malformed::toString);
        assertTrue(malformed.path("details").isArray() && malformed.path("details").size() > 0, malformed::toString);

        JsonNode invalid = awaitDeadLetter(missingSender);
        assertEquals("invalid message", invalid.path("reason").asText(), invalid::toString);
        assertTrue(invalid.path("details").toString().contains("source_subject_id"), "names the field: " + invalid);

        assertEquals(0, table.count("topic = ?", Json.parse(missingSender).path("topic").asText()));
        awaitNothingClaimed();
    }

    @Test
    void a_message_pushed_twice_leaves_one_row() {
        ObjectNode message = Messages.complete(Messages.uniqueSubject("sender"), "r");
        UUID uuid = UUID.fromString(message.get("message_uuid").asText());

        // both copies in one batch
        queue.push(Json.write(message), Json.write(message));
        pushMarkerAndAwaitIt();
        assertEquals(1, table.countByUuid(uuid));

        // a copy arriving after the first was stored, in one batch with a new message: the new one is stored
        ObjectNode fresh = Messages.complete(Messages.uniqueSubject("sender"), "r");
        queue.push(Json.write(message), Json.write(fresh));
        pushMarkerAndAwaitIt();
        assertEquals(1, table.countByUuid(uuid));
        assertEquals(1, table.countByUuid(UUID.fromString(fresh.get("message_uuid").asText())));
        awaitNothingClaimed();
    }

    /**
     * Entries whose text the bulk insert takes as written and entries it writes again, mixed in one batch: each
     * row holds the instants the parser read (a seventh fraction digit rounded half to even, as PostgreSQL rounds
     * it, and as in POST /messages), and a uuid in capitals is the same uuid.
     */
    @Test
    void every_accepted_timestamp_form_is_stored_as_the_parser_reads_it() {
        String sender = Messages.uniqueSubject("forms");
        Map<String, String> acks = new LinkedHashMap<>();
        acks.put("\"2025-05-27T10:30:00.123456Z\"", "2025-05-27T10:30:00.123456Z");
        acks.put("\"2025-05-27T12:30:00.5+02:00\"", "2025-05-27T10:30:00.5Z");
        acks.put("\"2025-05-27T10:30:00.1234567Z\"", "2025-05-27T10:30:00.123457Z");
        acks.put("\"2025-05-27T10:30:00.9999999Z\"", "2025-05-27T10:30:01Z");
        acks.put("1748341800.25", "2025-05-27T10:30:00.25Z");
        acks.put("\"2025-05-27T10:30Z\"", "2025-05-27T10:30:00Z");
        acks.put("\"2025-05-27T10:30:00+02:00:30\"", "2025-05-27T08:29:30Z");
        acks.put("null", null);
        Map<String, String> uuids = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>();
        for (Map.Entry<String, String> ack : acks.entrySet()) {
            String uuid = UUID.randomUUID().toString();
            uuids.put(uuid, ack.getValue());
            entries.add("{\"message_uuid\": \"" + uuid.toUpperCase() + "\", \"origin_ts\": \"2025-05-27T10:30:00Z\", "
                    + "\"ack_ts\": " + ack.getKey() + ", \"message_data\": {\"n\": 1.5e3}, \"source_subject_id\": \""
                    + sender + "\", \"destination_subject_ids\": [\"r\"]}");
        }

        queue.push(entries.toArray(String[]::new));
        pushMarkerAndAwaitIt();

        assertEquals(acks.size(), table.count("source_subject_id = ?", sender));
        for (Map.Entry<String, String> expected : uuids.entrySet()) {
            JsonNode stored = api.get("/messages/" + expected.getKey()).json();
            assertEquals(expected.getKey(), stored.path("message_uuid").asText());
            assertEquals(Instant.parse("2025-05-27T10:30:00Z"), Instant.parse(stored.path("origin_ts").asText()));
            JsonNode ack = stored.path("ack_ts");
            if (expected.getValue() == null) {
                assertTrue(ack.isNull(), stored::toString);
            } else {
                assertEquals(Instant.parse(expected.getValue()), Instant.parse(ack.asText()), stored::toString);
            }
            assertEquals(1500, stored.path("message_data").path("n").asInt(), stored::toString);
        }
        awaitNothingClaimed();
    }

    /** The list is first in, first out: once a marker pushed last is stored, everything before it was drained. */
    private void pushMarkerAndAwaitIt() {
        ObjectNode marker = Messages.marker();
        queue.push(Json.write(marker));
        UUID uuid = UUID.fromString(marker.get("message_uuid").asText());
        await(DRAINED, () -> table.countByUuid(uuid) == 1, "the marker is stored");
    }

    /** The pending dead letter (GET /dead-letters) whose payload is exactly {@code payload}. */
    private JsonNode awaitDeadLetter(String payload) {
        return awaitValue(DRAINED, () -> {
            for (JsonNode deadLetter : api.get("/dead-letters?limit=1000").json()) {
                if (payload.equals(deadLetter.path("payload").asText())) {
                    return deadLetter;
                }
            }
            return null;
        }, d -> d != null, "a dead letter keeps the raw entry " + payload);
    }

    private void awaitNothingClaimed() {
        await(DRAINED, () -> queue.claimedBy(owned.instanceId()) == 0 && queue.waiting() == 0,
                "every claim is acknowledged once its batch is written");
    }
}
