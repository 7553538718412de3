package routes.drain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.DeadLetterRows;
import routes.support.ExactJson;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * Entries a hostile or careless producer pushes: none of them stalls the drain, each ends as a stored row or as
 * one dead letter holding its exact bytes, and what is stored is exactly what was sent.
 */
@CamelMainTest(properties = {
        "drain.max-attempts=3",
        "batch.size=500",
        "batch.interval=200"
})
class DrainIntegrityRouteTest extends RouteTestSupport {

    private static final Duration DRAINED = Duration.ofSeconds(20);
    private final DeadLetterRows deadLetters = new DeadLetterRows(owned.schema());

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A message whose message_data.text holds these bytes, spliced in raw. */
    private static byte[] withRawText(String sender, byte[] raw) {
        byte[] head = utf8("{\"message_uuid\": \"" + UUID.randomUUID() + "\", \"message_data\": {\"text\": \"");
        byte[] tail = utf8("\"}, \"source_subject_id\": \"" + sender + "\", \"destination_subject_ids\": [\"r\"]}");
        byte[] entry = Arrays.copyOf(head, head.length + raw.length + tail.length);
        System.arraycopy(raw, 0, entry, head.length, raw.length);
        System.arraycopy(tail, 0, entry, head.length + raw.length, tail.length);
        return entry;
    }

    private List<DeadLetterRows.Row> deadLettersHolding(byte[] payload) {
        return deadLetters.all().stream().filter(row -> Arrays.equals(row.payloadBytes(), payload)).toList();
    }

    @Test
    void entries_no_timestamp_can_hold_do_not_stall_the_messages_around_them() {
        String sender = Messages.uniqueSubject("around");
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            entries.add(utf8(Json.write(Messages.complete(sender, "r" + i))));
        }
        ObjectNode infinite = Messages.complete(sender, "r");
        infinite.set("origin_ts", ExactJson.parse("1e400"));
        ObjectNode wrapping = Messages.complete(sender, "r");
        wrapping.set("origin_ts", ExactJson.parse("18446744075457893416")); // 2^64 + 1748341800
        byte[] infiniteEntry = utf8(infinite.toString());
        byte[] wrappingEntry = utf8(wrapping.toString());
        entries.add(300, infiniteEntry);
        entries.add(700, wrappingEntry);
        queue.pushBytes(entries.toArray(new byte[0][]));

        await(DRAINED, () -> table.count("source_subject_id = ?", sender) == 1000, "every good message stored");
        await(DRAINED, () -> deadLettersHolding(infiniteEntry).size() == 1 && deadLettersHolding(wrappingEntry).size() == 1,
                "each impossible timestamp is one dead letter");
        await(Duration.ofSeconds(5), () -> queue.claimedBy(owned.instanceId()) == 0, "every claim is settled");
        assertTrue(deadLettersHolding(infiniteEntry).get(0).details().contains("origin_ts"),
                deadLettersHolding(infiniteEntry).toString());
    }

    @Test
    void entries_that_are_not_utf8_end_as_dead_letters_holding_their_exact_bytes() {
        String sender = Messages.uniqueSubject("bytes");
        List<byte[]> hostile = List.of(
                new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1, 2},
                withRawText(sender, new byte[] {(byte) 0xC0, (byte) 0xAF}),                 // overlong '/'
                withRawText(sender, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),     // an encoded surrogate
                withRawText(sender, new byte[] {(byte) 0xE2, (byte) 0x82}),                 // cut short
                utf8("{\"message_data\": {\"text\": \"a\u0000b\"}, \"source_subject_id\": \"" + sender
                        + "\", \"destination_subject_ids\": [\"r\"]}"));                    // a NUL: UTF-8, not storable text
        queue.pushBytes(hostile.toArray(new byte[0][]));
        ObjectNode marker = Messages.marker();
        queue.push(Json.write(marker));

        await(DRAINED, () -> table.countByUuid(UUID.fromString(marker.get("message_uuid").asText())) == 1,
                "the drain went on past them");
        for (byte[] entry : hostile) {
            await(DRAINED, () -> deadLettersHolding(entry).size() == 1, "one dead letter with the exact bytes");
        }
        await(Duration.ofSeconds(5), () -> queue.claimedBy(owned.instanceId()) == 0, "nothing stays on the processing list");
        assertEquals(0, table.count("source_subject_id = ?", sender), "none of them stored, not even as a lookalike");

        DeadLetterRows.Row overlong = deadLettersHolding(hostile.get(1)).get(0);
        assertEquals("invalid text", overlong.reason());
        assertTrue(overlong.details().contains("message_data.text: not valid UTF-8"), overlong.details());
        assertNull(overlong.payload(), "not UTF-8: no text, the bytes say it all");
        JsonNode shown = api.get("/dead-letters/" + overlong.id()).json();
        assertArrayEquals(hostile.get(1), Base64.getDecoder().decode(shown.get("payload_base64").asText()), shown.toString());
    }

    @Test
    void the_same_entry_taken_again_stays_one_dead_letter() {
        byte[] garbage = utf8("{not json " + UUID.randomUUID());
        queue.pushBytes(garbage);
        await(DRAINED, () -> deadLettersHolding(garbage).size() == 1, "dead-lettered");
        // what a claim recovered after a crash between the dead letter's insert and its acknowledgement looks like
        queue.pushBytes(garbage);
        ObjectNode marker = Messages.marker();
        queue.push(Json.write(marker));
        await(DRAINED, () -> table.countByUuid(UUID.fromString(marker.get("message_uuid").asText())) == 1, "drained past it");
        List<DeadLetterRows.Row> rows = deadLettersHolding(garbage);
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(1, rows.get(0).attempts());
        assertEquals(0, queue.claimedBy(owned.instanceId()));
    }

    @Test
    void an_entry_taken_too_often_without_ending_becomes_a_dead_letter_that_says_so() {
        ObjectNode message = Messages.complete(Messages.uniqueSubject("often"), "r");
        byte[] entry = utf8(Json.write(message));
        queue.countAttempts(entry, 3); // drain.max-attempts=3: given back or recovered three times already
        queue.pushBytes(entry);

        await(DRAINED, () -> deadLettersHolding(entry).size() == 1, "ended as a dead letter");
        DeadLetterRows.Row row = deadLettersHolding(entry).get(0);
        assertEquals("kept failing", row.reason());
        assertTrue(row.details().contains("taken 4 times"), row.details());
        assertEquals(0, table.countByUuid(UUID.fromString(message.get("message_uuid").asText())));
        await(Duration.ofSeconds(5), () -> !queue.keys().contains(queue.name() + ":attempts"), "its count is gone with it");
    }

    @Test
    void values_come_back_exactly_as_sent_over_rest_and_over_the_list() {
        String data = "{\"big\": 1e400, \"tiny\": 1e-400, \"long\": 1234567890123456789012345678901234567890.5,"
                + " \"int\": 18446744073709551617, \"zeros\": 1.10, \"emoji\": \"\\ud83d\\ude00\", \"e\": \"\u00e9\","
                + " \"escaped\": \"\\u00e9\\n\\\"\", \"nested\": [[[{\"x\": -0.0}]]]}";
        String sender = Messages.uniqueSubject("exact");
        String restUuid = UUID.randomUUID().toString();
        String listUuid = UUID.randomUUID().toString();
        String template = "{\"message_uuid\": \"%s\", \"origin_ts\": %s, \"message_data\": " + data
                + ", \"source_subject_id\": \"" + sender + "\", \"destination_subject_ids\": [\"r\"], \"message_metadata\": " + data + "}";
        ApiResponse posted = api.postMessages(String.format(template, restUuid, "1748341800.123456"));
        assertEquals(202, posted.status(), posted.body());
        queue.push(String.format(template, listUuid, "\"2025-05-27T10:30:00.123456Z\""));

        for (String uuid : List.of(restUuid, listUuid)) {
            ApiResponse stored = awaitStored(uuid);
            JsonNode message = ExactJson.parse(stored.body());
            assertTrue(ExactJson.sameValue(ExactJson.parse(data), message.get("message_data")), stored.body());
            assertTrue(ExactJson.sameValue(ExactJson.parse(data), message.get("message_metadata")), stored.body());
            assertEquals("2025-05-27T10:30:00.123456Z", message.get("origin_ts").asText());
        }
    }

    @Test
    void text_that_is_not_unicode_and_impossible_timestamps_are_refused_with_400_naming_the_field() {
        String sender = Messages.uniqueSubject("refused");
        ApiResponse lone = api.postMessages("{\"message_data\": {\"text\": \"\\ud800\"}, \"source_subject_id\": \"" + sender
                + "\", \"destination_subject_ids\": [\"r\"]}");
        assertEquals(400, lone.status(), lone.body());
        assertTrue(lone.body().contains("message_data.text: contains an unpaired surrogate"), lone.body());

        ApiResponse overlong = api.postBytes("/messages", "application/json",
                withRawText(sender, new byte[] {(byte) 0xC0, (byte) 0xAF}));
        assertEquals(400, overlong.status(), overlong.body());
        assertEquals("invalid text", overlong.json().get("error").asText());
        assertTrue(overlong.body().contains("message_data.text: not valid UTF-8"), overlong.body());

        for (String stamp : List.of("1e400", "18446744075457893416", "-1e400", "1e-99999999999")) {
            ApiResponse refused = api.postMessages("{\"origin_ts\": " + stamp + ", \"message_data\": 1, \"source_subject_id\": \""
                    + sender + "\", \"destination_subject_ids\": [\"r\"]}");
            assertEquals(400, refused.status(), stamp + ": " + refused.body());
        }
        assertEquals(0, table.count("source_subject_id = ?", sender));
    }

    private ApiResponse awaitStored(String uuid) {
        return awaitValue(DRAINED, () -> api.get("/messages/" + uuid), response -> response.status() == 200,
                "message " + uuid + " stored");
    }
}
