package routes.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import routes.model.ClientErrorException;
import routes.model.LoggedMessage;
import routes.model.MessageJson;

import static org.junit.jupiter.api.Assertions.*;

class MessageParserTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.123456789Z");
    private final ObjectMapper mapper = MessageJson.newMapper();
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
        // a seventh fraction digit is rounded (half to even), as PostgreSQL rounds it
        assertEquals(Instant.parse("2025-05-27T10:30:00.123457Z"), m.ackTs());
        assertEquals("2025-05-27T10:30:00.123457Z", MessageJson.timestamp(m.ackTs()));
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

    // ---------------------------------------------------------------- exactness: stored as sent, or refused

    private static String withData(String data) {
        return "{\"message_data\": " + data + ", \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}";
    }

    @Test
    void keeps_numbers_exactly_as_sent_never_through_a_double() throws Exception {
        for (String number : List.of("1e400", "1e-400", "-1E+400", "1234567890123456789012345678901234567890.123",
                "18446744073709551617", "0.1", "1.10", "-0.0", "3")) {
            LoggedMessage m = parse(withData("{\"n\": " + number + "}")).get(0);
            String written = json.write(m);
            String back = mapper.readTree(written).get("message_data").get("n").toString();
            assertEquals(0, new java.math.BigDecimal(number).compareTo(new java.math.BigDecimal(back)), number + " came back as " + back);
        }
        assertTrue(json.write(parse(withData("{\"n\": 1.10}")).get(0)).contains("1.10"), "trailing zeros are kept");
    }

    @Test
    void refuses_numbers_beyond_what_postgresql_stores_exactly_naming_the_field() {
        for (String number : List.of("1e131072", "1e-16384", "1.5e-16383")) {
            ClientErrorException e = rejected(withData("{\"deep\": [" + number + "]}"));
            assertEquals(400, e.status());
            assertTrue(e.details().get(0).startsWith("message_data.deep[0]: the number"), e.details().toString());
        }
        assertEquals(400, rejected(withData("1e99999999999")).status(), "an exponent beyond the parser");
        assertNotNull(parse(withData("1e131071")).get(0), "the largest storable magnitude is taken");
    }

    @Test
    void refuses_text_that_is_not_unicode_naming_the_field() {
        ClientErrorException lone = rejected(withData("{\"text\": \"a\\ud800b\"}"));
        assertEquals(List.of("message_data.text: contains an unpaired surrogate (\\ud800), which is not Unicode text"), lone.details());
        ClientErrorException key = rejected(withData("{\"\\udc00\": 1}"));
        assertTrue(key.details().get(0).startsWith("message_data: a key contains an unpaired surrogate"), key.details().toString());
        assertNotNull(parse(withData("\"\\ud83d\\ude00 paired\"")).get(0), "a surrogate pair is an emoji, and fine");
    }

    @Test
    void refuses_malformed_utf8_instead_of_decoding_it_into_something_else() {
        byte[] prefix = "{\"message_data\": {\"text\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}, \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})) {
            byte[] body = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
            ClientErrorException e = assertThrows(ClientErrorException.class, () -> parser.parseRequest(body, 10));
            assertEquals("invalid text", e.error());
            assertTrue(e.details().get(0).startsWith("message_data.text: not valid UTF-8"), e.details().toString());
            assertThrows(ClientErrorException.class, () -> parser.parseEntry(body), "the list refuses it too");
        }
    }

    @Test
    void refuses_timestamps_no_timestamp_can_hold_instead_of_wrapping_them() {
        for (String stamp : List.of("1e400", "-1e400", "18446744075457893416", "253402300800", "-62135596801",
                "\"10000-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"", "1e-400e")) {
            ClientErrorException e = rejected("{\"origin_ts\": " + stamp + ", \"message_data\": 1, \"source_subject_id\": \"a\","
                    + " \"destination_subject_ids\": [\"b\"]}");
            assertEquals(400, e.status(), stamp);
        }
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), parse("{\"origin_ts\": 253402300799, \"message_data\": 1,"
                + " \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}").get(0).originTs());
        for (String[] rounding : new String[][] {{"1748341800.0000005", "2025-05-27T10:30:00Z"},
                {"1748341800.0000015", "2025-05-27T10:30:00.000002Z"}, {"1748341800.00000051", "2025-05-27T10:30:00.000001Z"}}) {
            assertEquals(Instant.parse(rounding[1]), parse("{\"origin_ts\": " + rounding[0] + ", \"message_data\": 1,"
                    + " \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}").get(0).originTs(),
                    "half to even at the microsecond, as PostgreSQL rounds: " + rounding[0]);
        }
    }

    @Test
    void refuses_an_object_with_the_same_key_twice() {
        assertEquals(400, rejected(withData("{\"a\": 1, \"a\": 2}")).status());
        assertEquals(400, rejected("{\"message_data\": 1, \"message_data\": 2, \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}").status());
    }

    @Test
    void refuses_subject_ids_topics_and_types_longer_than_1024_bytes() {
        String longest = "é".repeat(512);
        assertEquals(longest, parse("{\"message_data\": 1, \"source_subject_id\": \"" + longest
                + "\", \"destination_subject_ids\": [\"b\"]}").get(0).sourceSubjectId());
        ClientErrorException e = rejected("{\"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\", \""
                + longest + "x\"], \"topic\": \"" + "t".repeat(1025) + "\"}");
        assertEquals(List.of("destination_subject_ids[1]: at most 1024 bytes of UTF-8 (subjects, topics and types are indexed"
                + " and queried by name), got 1025", "topic: at most 1024 bytes of UTF-8 (subjects, topics and types are indexed"
                + " and queried by name), got 1025"), e.details());
    }

    @Test
    void found_by_the_hostile_campaign() {
        // a zero with an exponent PostgreSQL refuses
        assertEquals(400, rejected(withData("{\"zero\": 0e1073741823}")).status());
        assertNotNull(parse(withData("{\"zero\": 0e1000000}")).get(0));
        // an offset java.time takes and PostgreSQL does not: read, and written again in UTC rather than as sent
        String entry = "{\"message_uuid\": \"123e4567-e89b-12d3-a456-426614174000\", \"origin_ts\": \"2025-05-27T10:30:00.5-18:00\","
                + " \"message_data\": 1, \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}";
        MessageParser.ParsedEntry parsed = parser.parseEntry(entry);
        assertEquals(Instant.parse("2025-05-28T04:30:00.5Z"), parsed.message().originTs());
        assertFalse(parsed.storableAsWritten());
        assertTrue(parser.parseEntry(entry.replace("-18:00", "-15:59")).storableAsWritten());
        // epoch seconds under a microsecond round to the epoch, without the rounding that took seconds of CPU
        for (String tiny : List.of("1e-99999999", "-1e-99999", "4.9e-7")) {
            assertEquals(Instant.EPOCH, parse("{\"origin_ts\": " + tiny + ", \"message_data\": 1, \"source_subject_id\": \"a\","
                    + " \"destination_subject_ids\": [\"b\"]}").get(0).originTs(), tiny);
        }
        assertEquals(Instant.parse("1970-01-01T00:00:00.000001Z"), parse("{\"origin_ts\": 5.1e-7, \"message_data\": 1,"
                + " \"source_subject_id\": \"a\", \"destination_subject_ids\": [\"b\"]}").get(0).originTs());
    }
}
