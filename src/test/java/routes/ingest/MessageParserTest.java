package routes.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import routes.model.ClientErrorException;
import routes.model.LoggedMessage;
import routes.model.MessageJson;

import static org.junit.jupiter.api.Assertions.*;

class MessageParserTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final MessageParser parser = new MessageParser(mapper, Clock.fixed(NOW, ZoneOffset.UTC));
    private final MessageJson json = new MessageJson(mapper);

    private static final String REFERENCE = """
            {"message_uuid": "123e4567-e89b-12d3-a456-426614174000", "origin_ts": "2025-05-27T10:30:00Z",
             "ack_ts": "2025-05-27T10:30:01Z", "message_data": {"text": "hello"}, "source_subject_id": "subject-A",
             "destination_subject_ids": ["subject-B"], "topic": "greetings", "message_type": "chat",
             "message_metadata": {"priority": "high"}}""";

    private List<LoggedMessage> parse(String body) {
        return parser.parseRequest(body.getBytes(StandardCharsets.UTF_8), 10);
    }

    private ClientErrorException rejected(String body) {
        return assertThrows(ClientErrorException.class, () -> parse(body));
    }

    @Test
    void reads_the_reference_message_field_for_field() {
        LoggedMessage m = parse(REFERENCE).get(0);
        assertEquals(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), m.messageUuid());
        assertEquals(Instant.parse("2025-05-27T10:30:00Z"), m.originTs());
        assertEquals(Instant.parse("2025-05-27T10:30:01Z"), m.ackTs());
        assertEquals("hello", m.messageData().get("text").asText());
        assertEquals("subject-A", m.sourceSubjectId());
        assertEquals(List.of("subject-B"), m.destinationSubjectIds());
        assertEquals("greetings", m.topic());
        assertEquals("chat", m.messageType());
        assertEquals("high", m.messageMetadata().get("priority").asText());
    }

    @Test
    void renders_the_reference_shape_in_field_order() throws Exception {
        String rendered = json.write(parse(REFERENCE).get(0));
        assertEquals(mapper.readTree(REFERENCE), mapper.readTree(rendered));
        assertTrue(rendered.startsWith("{\"message_uuid\":\"123e4567-e89b-12d3-a456-426614174000\",\"origin_ts\":\"2025-05-27T10:30:00Z\""));
    }

    @Test
    void fills_a_time_ordered_uuid_and_the_acceptance_time_when_absent() {
        LoggedMessage m = parse("{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": []}").get(0);
        assertEquals(7, m.messageUuid().version());
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456Z"), m.originTs());
        assertNull(m.ackTs());
        assertNull(m.topic());
        assertNull(m.messageMetadata());
    }

    @Test
    void accepts_epoch_seconds_and_offsets_and_keeps_microseconds() {
        LoggedMessage m = parse("{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"],"
                + " \"origin_ts\": 1748341800.5, \"ack_ts\": \"2025-05-27T12:30:00.1234567+02:00\"}").get(0);
        assertEquals(Instant.parse("2025-05-27T10:30:00.500Z"), m.originTs());
        assertEquals(Instant.parse("2025-05-27T10:30:00.123456Z"), m.ackTs());
        assertEquals("2025-05-27T10:30:00.123456Z", MessageJson.timestamp(m.ackTs()));
    }

    @Test
    void names_every_bad_field() {
        ClientErrorException e = rejected("{\"message_uuid\": \"nope\", \"origin_ts\": \"yesterday\", \"message_data\": null,"
                + " \"source_subject_id\": 5, \"destination_subject_ids\": \"b\", \"colour\": \"red\"}");
        assertEquals(400, e.status());
        String details = String.join("\n", e.details());
        for (String field : List.of("message_uuid", "origin_ts", "message_data", "source_subject_id", "destination_subject_ids", "colour")) {
            assertTrue(details.contains(field + ":"), () -> field + " missing from " + details);
        }
    }

    @Test
    void rejects_a_timestamp_without_offset() {
        ClientErrorException e = rejected("{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": [],"
                + " \"origin_ts\": \"2025-05-27T10:30:00\"}");
        assertTrue(e.details().get(0).startsWith("origin_ts:"));
    }

    @Test
    void rejects_text_postgresql_cannot_store() {
        ClientErrorException e = rejected("{\"message_data\": {\"k\": [\"a\\u0000b\"]}, \"source_subject_id\": \"a\","
                + " \"destination_subject_ids\": []}");
        assertTrue(e.details().get(0).startsWith("message_data.k[0]:"), e.details().toString());
        assertTrue(e.details().get(0).contains("NUL"));
    }

    @Test
    void reports_array_items_by_index_and_takes_none_of_them() {
        ClientErrorException e = rejected("[{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": []},"
                + " {\"message_data\": 1, \"destination_subject_ids\": [\"\"]}]");
        assertEquals(List.of("[1].source_subject_id: required (a non-empty string)",
                "[1].destination_subject_ids[0]: must be a non-empty string, got \"\""), e.details());
    }

    @Test
    void rejects_malformed_json_trailing_garbage_and_non_objects() {
        assertEquals("malformed JSON", rejected("{\"message_data\": ").error());
        assertEquals("malformed JSON", rejected("{} {}").error());
        assertEquals("malformed JSON", rejected("").error());
        assertEquals(400, rejected("42").status());
        assertEquals(400, rejected("[]").status());
        assertEquals(400, rejected("[1]").status());
    }

    @Test
    void refuses_more_messages_than_allowed_with_413() {
        String one = "{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": []}";
        String eleven = "[" + String.join(",", java.util.Collections.nCopies(11, one)) + "]";
        assertEquals(413, rejected(eleven).status());
    }

    @Test
    void marks_list_entries_whose_own_text_the_database_reads_as_we_do() {
        assertTrue(parser.parseEntry(REFERENCE).storableAsWritten());
        for (String stamp : List.of("\"2025-05-27T10:30:00.123456Z\"", "\"2025-05-27T12:30:00.5+02:00\"", "null")) {
            assertTrue(parser.parseEntry(entryWith(stamp)).storableAsWritten(), stamp);
        }
        // epoch seconds, digits PostgreSQL would round rather than truncate, forms only the formatter reads
        for (String stamp : List.of("1748341800", "1748341800.5", "\"2025-05-27T10:30:00.1234567Z\"",
                "\"2025-05-27T10:30Z\"", "\"2025-05-27T10:30:00+02:00:30\"")) {
            MessageParser.ParsedEntry parsed = parser.parseEntry(entryWith(stamp));
            assertTrue(parsed.identified(), stamp);
            assertFalse(parsed.storableAsWritten(), stamp);
        }
        assertFalse(parser.parseEntry("{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": []}")
                .storableAsWritten(), "an entry that left its identity to us is written again, completed");
    }

    @Test
    void takes_uuids_only_in_the_8_4_4_4_12_form() {
        assertTrue(parser.parseEntry(REFERENCE.replace("123e4567-e89b-12d3-a456-426614174000",
                "123E4567-E89B-12D3-A456-426614174000")).identified());
        for (String uuid : List.of("1-2-3-4-5", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
                "123e4567-e89b-12d3-a456-4266141740000", "{123e4567-e89b-12d3-a456-426614174000}")) {
            ClientErrorException e = assertThrows(ClientErrorException.class,
                    () -> parser.parseEntry(REFERENCE.replace("123e4567-e89b-12d3-a456-426614174000", uuid)), uuid);
            assertTrue(e.details().get(0).startsWith("message_uuid: must be a UUID string"), e.details().toString());
        }
    }

    private static String entryWith(String ackTs) {
        return "{\"message_uuid\": \"123e4567-e89b-12d3-a456-426614174000\", \"origin_ts\": \"2025-05-27T10:30:00Z\", "
                + "\"ack_ts\": " + ackTs + ", \"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": []}";
    }

    @Test
    void marks_list_entries_that_left_their_identity_to_us() {
        assertTrue(parser.parseEntry(REFERENCE).identified());
        assertFalse(parser.parseEntry("{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": []}").identified());
    }
}
