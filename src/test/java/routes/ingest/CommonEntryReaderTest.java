package routes.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import routes.model.ClientErrorException;

import routes.model.MessageJson;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The streaming read of common list entries gives exactly what the full read gives, and leaves everything else
 * (whatever is unusual or wrong) to the full read, which names the problems.
 */
class CommonEntryReaderTest {

    private final ObjectMapper mapper = MessageJson.newMapper();
    private final MessageParser parser = new MessageParser(mapper, Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC));
    private final CommonEntryReader common = new CommonEntryReader(mapper);

    private static final String BASE = "{\"message_uuid\":\"123e4567-e89b-12d3-a456-426614174000\","
            + "\"origin_ts\":\"2025-05-27T10:30:00Z\",\"ack_ts\":\"2025-05-27T10:30:01.5+02:00\","
            + "\"message_data\":{\"text\":\"hello\",\"n\":[1,2.5,{\"deep\":null}]},\"source_subject_id\":\"subject-A\","
            + "\"destination_subject_ids\":[\"subject-B\",\"subject-C\"],\"topic\":\"greetings\",\"message_type\":\"chat\","
            + "\"message_metadata\":{\"priority\":\"high\"}}";

    /** Entries the streaming read takes: same message, same flags as the full read. */
    private static final List<String> COMMON = List.of(
            BASE,
            BASE.replace("\"ack_ts\":\"2025-05-27T10:30:01.5+02:00\"", "\"ack_ts\":null"),
            BASE.replace("\"ack_ts\":\"2025-05-27T10:30:01.5+02:00\",", ""),
            BASE.replace("\"topic\":\"greetings\",\"message_type\":\"chat\",", "\"topic\":null,"),
            BASE.replace(",\"message_metadata\":{\"priority\":\"high\"}", ",\"message_metadata\":null"),
            BASE.replace("{\"text\":\"hello\",\"n\":[1,2.5,{\"deep\":null}]}", "\"just text\""),
            BASE.replace("{\"text\":\"hello\",\"n\":[1,2.5,{\"deep\":null}]}", "12345678901234567890.5"),
            BASE.replace("[\"subject-B\",\"subject-C\"]", "[]"),
            BASE.replace("123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000"),
            BASE.replace("2025-05-27T10:30:00Z", "2025-05-27T10:30:00.1234567Z"),
            BASE.replace("2025-05-27T10:30:00Z", "2025-05-27T10:30Z"),
            "  " + BASE + "\n",
            "{\"origin_ts\":\"2025-05-27T10:30:00Z\",\"message_uuid\":\"123e4567-e89b-12d3-a456-426614174000\","
                    + "\"destination_subject_ids\":[\"b\"],\"source_subject_id\":\"a\",\"message_data\":[\"\\u00e9\\ud83d\\ude00\"]}");

    /** Entries it leaves to the full read, valid or not. */
    private static final List<String> UNUSUAL = List.of(
            BASE.replace("\"2025-05-27T10:30:00Z\"", "1748341800"),
            BASE.replace("\"2025-05-27T10:30:01.5+02:00\"", "1748341801.25"),
            BASE.replace("\"message_uuid\":\"123e4567-e89b-12d3-a456-426614174000\",", ""),
            BASE.replace("\"origin_ts\":\"2025-05-27T10:30:00Z\",", ""),
            BASE.replace("\"topic\":\"greetings\"", "\"topic\":\"greetings\",\"topic\":\"again\""),
            BASE.replace("\"topic\":\"greetings\"", "\"topic\":\"greetings\",\"extra\":1"),
            BASE.replace("\"topic\":\"greetings\"", "\"topic\":\"\""),
            BASE.replace("\"topic\":\"greetings\"", "\"topic\":7"),
            BASE.replace("\"subject-A\"", "\"\""),
            BASE.replace("\"subject-A\"", "null"),
            BASE.replace("[\"subject-B\",\"subject-C\"]", "[\"subject-B\",null]"),
            BASE.replace("[\"subject-B\",\"subject-C\"]", "\"subject-B\""),
            BASE.replace("\"hello\"", "\"nul \\u0000 inside\""),
            BASE.replace("\"priority\"", "\"pri\\u0000ority\""),
            BASE.replace("{\"text\":\"hello\",\"n\":[1,2.5,{\"deep\":null}]}", "null"),
            BASE.replace("123e4567-e89b-12d3-a456-426614174000", "1-2-3-4-5"),
            BASE.replace("2025-05-27T10:30:00Z", "2025-05-27T10:30:00"),
            BASE.replace("2025-05-27T10:30:00Z", "10000-01-01T00:00:00Z"),
            BASE + " {}",
            BASE + " trailing",
            BASE.substring(0, BASE.length() - 1),
            "[" + BASE + "]",
            "\"text\"",
            "not json at all",
            "");

    @Test
    void reads_common_entries_exactly_as_the_full_read_does() {
        for (String entry : COMMON) {
            byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
            MessageParser.ParsedEntry streamed = common.read(bytes);
            assertNotNull(streamed, () -> "taken by the streaming read: " + entry);
            assertEquals(parser.parseEntryFully(bytes), streamed, entry);
            assertEquals(streamed, parser.parseEntry(entry), entry);
        }
    }

    @Test
    void leaves_everything_else_to_the_full_read() {
        List<String> outcomes = new ArrayList<>();
        for (String entry : UNUSUAL) {
            byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
            assertNull(common.read(bytes), () -> "left to the full read: " + entry);
            outcomes.add(outcome(() -> parser.parseEntryFully(bytes)) + " / " + outcome(() -> parser.parseEntry(entry)));
        }
        for (String both : outcomes) {
            String[] sides = both.split(" / ", 2);
            assertEquals(sides[0], sides[1]);
        }
    }

    private static String outcome(java.util.function.Supplier<MessageParser.ParsedEntry> read) {
        try {
            MessageParser.ParsedEntry entry = read.get();
            return "ok " + entry.identified() + " " + entry.storableAsWritten() + " "
                    + (entry.identified() ? entry.message() : "uuid or origin_ts generated");
        } catch (ClientErrorException e) {
            return e.status() + " " + e.error() + " " + e.details();
        }
    }
}
