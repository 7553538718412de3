package routes.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.awaitValue;

/** POST /messages, then the drain, then GET: what goes in comes out, field for field. */
@CamelMainTest(properties = {
        "batch.interval=200"
})
class MessageRoundTripRouteTest extends RouteTestSupport {

    private static final Duration STORED = Duration.ofSeconds(10);

    @Test
    void a_posted_message_is_queryable_by_uuid_and_by_every_subject() {
        String sender = Messages.uniqueSubject("sender");
        String first = Messages.uniqueSubject("recipient");
        String second = Messages.uniqueSubject("recipient");
        ObjectNode posted = Messages.complete(sender, first, second);
        String uuid = posted.get("message_uuid").asText();

        ApiResponse accepted = api.postMessages(Json.write(posted));

        assertEquals(202, accepted.status(), accepted::toString);
        assertEquals("accepted", accepted.json().path("status").asText(), accepted::toString);
        assertEquals(uuid, accepted.json().path("message_uuid").asText(), accepted::toString);
        String location = accepted.header("Location").orElseThrow(() -> new AssertionError("no Location: " + accepted));
        assertEquals("/messages/" + uuid, location);

        ApiResponse byUuid = awaitStored(location);
        assertEquals(List.of(Json.MESSAGE_FIELDS), fieldNames(byUuid.json()), "the nine reference fields, in order");
        assertTimestampsAreIsoUtc(byUuid.json());
        assertEquals(Json.normalisedMessage(posted), Json.normalisedMessage(byUuid.json()));

        for (String subject : List.of(sender, first, second)) {
            ApiResponse bySubject = api.get("/messages/subject/" + subject);
            assertEquals(200, bySubject.status(), bySubject::toString);
            assertTrue(bySubject.json().isArray(), bySubject::toString);
            assertEquals(1, bySubject.json().size(), bySubject::toString);
            assertTimestampsAreIsoUtc(bySubject.json().get(0));
            assertEquals(Json.normalisedMessage(posted), Json.normalisedMessage(bySubject.json().get(0)), "as seen by " + subject);
            assertTrue(bySubject.header("Link").isEmpty(), "a single page has no next link");
        }
    }

    @Test
    void a_message_without_uuid_or_origin_ts_gets_a_uuidv7_and_the_acceptance_time() {
        ObjectNode posted = Messages.minimal(Messages.uniqueSubject("sender"), Messages.uniqueSubject("recipient"));
        Instant before = Instant.now();

        ApiResponse accepted = api.postMessages(Json.write(posted));

        Instant after = Instant.now();
        assertEquals(202, accepted.status(), accepted::toString);
        UUID uuid = UUID.fromString(accepted.json().path("message_uuid").asText());
        assertEquals(7, uuid.version(), "a generated uuid is time-ordered (v7)");
        assertEquals("/messages/" + uuid, accepted.header("Location").orElse(null));

        JsonNode stored = awaitStored("/messages/" + uuid).json();
        assertEquals(uuid.toString(), stored.path("message_uuid").asText());
        Instant origin = Instant.parse(stored.path("origin_ts").asText());
        assertFalse(origin.isBefore(before.minusMillis(1)) || origin.isAfter(after.plusMillis(1)),
                "origin_ts " + origin + " is the acceptance time, between " + before + " and " + after);
        for (String absent : List.of("ack_ts", "topic", "message_type", "message_metadata")) {
            assertTrue(stored.get(absent).isNull(), absent + " is null when not given: " + stored);
        }
        ObjectNode expected = posted.deepCopy();
        expected.put("message_uuid", uuid.toString());
        expected.put("origin_ts", stored.path("origin_ts").asText());
        assertEquals(Json.normalisedMessage(expected), Json.normalisedMessage(stored));
    }

    @Test
    void an_array_post_stores_every_message_and_answers_their_uuids_in_order() {
        String sender = Messages.uniqueSubject("sender");
        ArrayNode posted = Json.array();
        posted.add(Messages.complete(sender, "r1"));
        ObjectNode text = Messages.complete(sender, "r2", "r3");
        text.put("message_data", "just a string");
        posted.add(text);
        ObjectNode list = Messages.minimal(sender);
        list.set("message_data", Json.parse("[1, {\"a\": []}, \"x\"]"));
        posted.add(list);

        ApiResponse accepted = api.postMessages(Json.write(posted));

        assertEquals(202, accepted.status(), accepted::toString);
        assertEquals("accepted", accepted.json().path("status").asText());
        assertEquals(3, accepted.json().path("count").asInt(), accepted::toString);
        assertTrue(accepted.header("Location").isEmpty(), "no Location for an array: " + accepted);
        JsonNode uuids = accepted.json().path("message_uuids");
        assertEquals(3, uuids.size(), accepted::toString);
        assertEquals(posted.get(0).get("message_uuid").asText(), uuids.get(0).asText());
        assertEquals(posted.get(1).get("message_uuid").asText(), uuids.get(1).asText());
        assertEquals(7, UUID.fromString(uuids.get(2).asText()).version());

        for (int i = 0; i < 3; i++) {
            JsonNode stored = awaitStored("/messages/" + uuids.get(i).asText()).json();
            ObjectNode expected = ((ObjectNode) posted.get(i)).deepCopy();
            expected.put("message_uuid", uuids.get(i).asText());
            if (!expected.has("origin_ts")) {
                expected.put("origin_ts", stored.path("origin_ts").asText());
            }
            assertEquals(Json.normalisedMessage(expected), Json.normalisedMessage(stored), "message " + i);
        }
        ApiResponse bySender = api.get("/messages/subject/" + sender);
        assertEquals(3, bySender.json().size(), bySender::toString);
    }

    @Test
    void a_replayed_post_leaves_one_row() {
        String sender = Messages.uniqueSubject("sender");
        ObjectNode posted = Messages.complete(sender, "r");
        UUID uuid = UUID.fromString(posted.get("message_uuid").asText());

        assertEquals(202, api.postMessages(Json.write(posted)).status());
        assertEquals(202, api.postMessages(Json.write(posted)).status());
        ObjectNode marker = Messages.marker();
        assertEquals(202, api.postMessages(Json.write(marker)).status());

        // the list is first in, first out: once the marker is stored, both copies have been through the drain
        awaitStored("/messages/" + marker.get("message_uuid").asText());
        assertEquals(1, table.countByUuid(uuid));
        assertEquals(1, api.get("/messages/subject/" + sender).json().size());

        // and a replay long after the first copy was stored
        assertEquals(202, api.postMessages(Json.write(posted)).status());
        ObjectNode secondMarker = Messages.marker();
        assertEquals(202, api.postMessages(Json.write(secondMarker)).status());
        awaitStored("/messages/" + secondMarker.get("message_uuid").asText());
        assertEquals(1, table.countByUuid(uuid));
    }

    @Test
    void timestamps_before_the_gregorian_calendar_reform_come_back_as_posted() {
        // the service accepts years 1 to 9999; 1582-10-15 is where the Julian/Gregorian hybrid calendar of
        // java.sql.Timestamp parts from the proleptic Gregorian calendar of PostgreSQL and java.time
        ObjectNode posted = Messages.complete(Messages.uniqueSubject("historian"), "r");
        posted.put("origin_ts", "1000-01-01T00:00:00Z");
        posted.put("ack_ts", "1582-10-14T12:00:00Z");
        UUID uuid = UUID.fromString(posted.get("message_uuid").asText());

        assertEquals(202, api.postMessages(Json.write(posted)).status());
        JsonNode stored = awaitStored("/messages/" + uuid).json();

        assertEquals(1, table.count("message_uuid = ? AND origin_ts = CAST(? AS timestamptz) AND ack_ts = CAST(? AS timestamptz)",
                uuid, "1000-01-01T00:00:00Z", "1582-10-14T12:00:00Z"), "the row holds the instants that were posted");
        assertEquals("1000-01-01T00:00:00Z", stored.path("origin_ts").asText(), stored::toString);
        assertEquals("1582-10-14T12:00:00Z", stored.path("ack_ts").asText(), stored::toString);
    }

    @Test
    void a_message_from_centuries_ago_is_stored_and_not_dead_lettered() {
        // after the calendar reform, so only the age matters: more than 292 years, the range of a long of nanoseconds
        ObjectNode posted = Messages.complete(Messages.uniqueSubject("archivist"), "r");
        posted.put("origin_ts", "1700-01-01T00:00:00Z");
        String uuid = posted.get("message_uuid").asText();

        assertEquals(202, api.postMessages(Json.write(posted)).status());
        JsonNode stored = awaitStored("/messages/" + uuid).json();
        assertEquals(Json.normalisedMessage(posted), Json.normalisedMessage(stored));
        // batches leave the aggregator one after another: once a later one is stored, this one is settled
        ObjectNode marker = Messages.marker();
        assertEquals(202, api.postMessages(Json.write(marker)).status());
        awaitStored("/messages/" + marker.get("message_uuid").asText());

        ApiResponse deadLetters = api.get("/dead-letters?limit=1000");
        assertEquals(200, deadLetters.status(), deadLetters::toString);
        for (JsonNode deadLetter : deadLetters.json()) {
            assertNotEquals(uuid, deadLetter.path("message_uuid").asText(), "a stored message is not also a dead letter: " + deadLetter);
        }
    }

    private ApiResponse awaitStored(String path) {
        return awaitValue(STORED, () -> api.get(path), r -> r.status() == 200, path + " answers 200");
    }

    private static List<String> fieldNames(JsonNode message) {
        List<String> names = new ArrayList<>();
        message.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertTimestampsAreIsoUtc(JsonNode message) {
        for (String field : List.of("origin_ts", "ack_ts")) {
            JsonNode value = message.get(field);
            if (value != null && !value.isNull()) {
                assertTrue(value.isTextual() && value.asText().endsWith("Z"), field + " is ISO-8601 UTC: " + value);
                Instant.parse(value.asText());
            }
        }
    }
}
