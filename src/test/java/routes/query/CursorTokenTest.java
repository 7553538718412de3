package routes.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import routes.model.ClientErrorException;

import static org.junit.jupiter.api.Assertions.*;

/** The cursor of GET /messages/subject/{id}: only a token encode() wrote is taken back, exactly as written. */
class CursorTokenTest {

    private static final String UUID = "123e4567-e89b-12d3-a456-426614174000";

    @Test
    void a_token_of_any_storable_position_decodes_to_that_position() {
        for (String ts : List.of("0001-01-01T00:00:00Z", "1582-10-04T23:59:59.999999Z", "2025-05-27T10:30:00Z",
                "2025-05-27T10:30:00.100Z", "2025-05-27T10:30:00.123456Z", "9999-12-31T23:59:59.999999Z")) {
            MessageQueries.Position position = new MessageQueries.Position(ts, UUID);
            assertEquals(position, MessageQueries.Position.decode(position.encode()), ts);
        }
    }

    @Test
    void a_uuid_that_is_not_8_4_4_4_12_lowercase_hex_is_refused() {
        for (String uuid : List.of("1-2-3-4-5", "123e4567e89b12d3a456426614174000", "123E4567-E89B-12D3-A456-426614174000",
                "123e4567-e89b-12d3-a456-42661417400g", UUID + "|" + UUID, "")) {
            assertRefused(token("2025-05-27T10:30:00Z|" + uuid));
        }
    }

    @Test
    void a_timestamp_outside_the_years_1_to_9999_is_refused() {
        for (String ts : List.of("+10000-01-01T00:00:00Z", "0000-12-31T23:59:59.999999Z", "-4714-11-24T00:00:00Z",
                "+294277-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z")) {
            assertRefused(token(ts + "|" + UUID));
        }
    }

    @Test
    void a_token_written_otherwise_than_encode_writes_it_is_refused() {
        for (String text : List.of("2025-05-27T10:30:00.000Z|" + UUID, "2025-05-27T10:30:00.1Z|" + UUID,
                "2025-05-27T10:30:00.1234567Z|" + UUID, "2025-05-27T12:30:00+02:00|" + UUID, "2025-05-27T10:30Z|" + UUID,
                "infinity|" + UUID, "2025-05-27T10:30:00Z", "|", "", "2025-05-27T10:30:00Z|" + UUID + "\u0000",
                "\u00002025-05-27T10:30:00Z|" + UUID)) {
            assertRefused(token(text));
        }
        String good = token("2025-05-27T10:30:00Z|" + UUID);
        assertRefused(good + "=");
        String padded = Base64.getUrlEncoder().encodeToString(("2025-05-27T10:30:00.100Z|" + UUID).getBytes(StandardCharsets.UTF_8));
        assertTrue(padded.endsWith("="), padded);
        assertRefused(padded);
        assertRefused(Base64.getEncoder().withoutPadding().encodeToString(("2025-05-27T10:30:00.12345Z|" + UUID).getBytes(StandardCharsets.UTF_8)));
        assertRefused(good.substring(0, good.length() - 1));
        assertRefused(good + "A");
        assertRefused(" " + good);
        assertRefused("A".repeat(10_000));
    }

    @Test
    void invalid_utf8_in_a_token_is_refused() {
        byte[] bytes = ("2025-05-27T10:30:00Z|" + UUID).getBytes(StandardCharsets.UTF_8);
        bytes[3] = (byte) 0xFF;
        assertRefused(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    private static String token(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String token) {
        ClientErrorException e = assertThrows(ClientErrorException.class, () -> MessageQueries.Position.decode(token), token);
        assertEquals(400, e.status());
        assertEquals("invalid cursor", e.error());
    }
}
