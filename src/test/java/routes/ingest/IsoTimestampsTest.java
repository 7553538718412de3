package routes.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The fast path reads exactly what ISO_OFFSET_DATE_TIME reads, to the nanosecond, and refuses what it refuses. */
class IsoTimestampsTest {

    private static final List<String> TEXTS = List.of(
            "2025-05-27T10:30:00Z", "2025-05-27T10:30:00.1Z", "2025-05-27T10:30:00.123456Z",
            "2025-05-27T10:30:00.123456789Z", "2025-05-27T12:30:00.5+02:00", "2025-05-27T03:00:00-07:30",
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999+00:00", "2024-02-29T00:00:00Z", "2025-05-27T10:30Z",
            "+12025-05-27T10:30:00Z", "2025-05-27T10:30:00.Z", "2025-05-27T10:30:00.1234567890Z",
            "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-05-27T24:00:00Z", "2025-05-27T10:60:00Z",
            "2025-05-27T10:30:00", "2025-05-27 10:30:00Z", "2025-05-27T10:30:00+0200", "2025-05-27T10:30:00+19:00",
            "2025-05-27T10:30:00+02:60", "2025-05-27T1a:30:00Z", "2025-05-27T10:30:00z", "2025-05-27T10:30:00.\u0663Z",
            "yesterday", "");

    @Test
    void agrees_with_the_formatter_on_every_text() {
        for (String text : TEXTS) {
            Instant expected;
            try {
                expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeException refused) {
                assertThrows(DateTimeException.class, () -> IsoTimestamps.parse(text), text);
                continue;
            }
            assertEquals(expected, IsoTimestamps.parse(text), text);
        }
    }

    @Test
    void says_which_accepted_texts_need_no_rounding_question() {
        for (String text : List.of("2025-05-27T10:30:00Z", "2025-05-27T10:30:00.123456Z", "2025-05-27T12:30:00.5+02:00",
                "9999-12-31T23:59:59.999999+00:00", "2025-05-27T03:00:00-07:30")) {
            IsoTimestamps.parse(text);
            assertTrue(IsoTimestamps.isCommonToMicros(text), text);
        }
        for (String text : List.of("2025-05-27T10:30:00.1234567Z", "2025-05-27T10:30:00.123456789Z", "2025-05-27T10:30Z",
                "2025-05-27t10:30:00Z", "2025-05-27T10:30:00+02:00:30", "+12025-05-27T10:30:00Z")) {
            IsoTimestamps.parse(text);
            assertFalse(IsoTimestamps.isCommonToMicros(text), text);
        }
    }
}
