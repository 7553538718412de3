package routes.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.CaseInsensitiveMap;
import org.junit.jupiter.api.Test;

import routes.model.ClientErrorException;

import static org.junit.jupiter.api.Assertions.*;

/** The checks of path and query parameters, without a server: what reaches the SQL and what is a 400. */
class RequestParametersTest {

    @Test
    void text_refuses_nul_and_lone_surrogates_and_names_the_parameter() {
        assertRefused(() -> RequestParameters.text("reason", "a\u0000b"), "invalid reason", "reason: contains a NUL");
        assertRefused(() -> RequestParameters.text("subject_id", "a\uD800b"), "invalid subject_id", "lone UTF-16 surrogate");
        assertRefused(() -> RequestParameters.text("subject_id", "\uDC00"), "invalid subject_id", "lone UTF-16 surrogate");
        assertRefused(() -> RequestParameters.text("subject_id", "a\uD83D"), "invalid subject_id", "lone UTF-16 surrogate");
        assertEquals("a\uD83D\uDE00b", RequestParameters.text("subject_id", "a\uD83D\uDE00b"), "a surrogate pair is one character");
        assertEquals("tab\tand\u0001control", RequestParameters.text("subject_id", "tab\tand\u0001control"),
                "other control characters can be stored, so they can be asked for");
    }

    @Test
    void text_is_null_when_absent_or_empty() {
        assertNull(RequestParameters.text("reason", null));
        assertNull(RequestParameters.text("reason", ""));
    }

    @Test
    void text_takes_up_to_the_maximum_in_utf8_bytes() {
        String ascii = "a".repeat(RequestParameters.MAX_TEXT_BYTES);
        assertEquals(ascii, RequestParameters.text("subject_id", ascii));
        assertRefused(() -> RequestParameters.text("subject_id", ascii + "a"), "invalid subject_id", "longer than 4096 bytes");

        String threeByteChars = "\u4e16".repeat(RequestParameters.MAX_TEXT_BYTES / 3);
        assertEquals(threeByteChars, RequestParameters.text("subject_id", threeByteChars));
        assertRefused(() -> RequestParameters.text("subject_id", threeByteChars + "\u4e16\u4e16"), "invalid subject_id", "bytes of UTF-8");
        String fourByteChars = "\uD83D\uDE00".repeat(RequestParameters.MAX_TEXT_BYTES / 4);
        assertEquals(fourByteChars, RequestParameters.text("subject_id", fourByteChars));
        assertRefused(() -> RequestParameters.text("subject_id", fourByteChars + "a"), "invalid subject_id", "bytes of UTF-8");
    }

    @Test
    void a_parameter_given_twice_is_refused() {
        assertRefused(() -> RequestParameters.single("limit", List.of("1", "2")), "invalid limit", "limit: given 2 times");
        assertEquals("1", RequestParameters.single("limit", List.of("1")));
    }

    @Test
    void whole_numbers_are_ascii_digits_within_the_range() {
        assertEquals(5L, RequestParameters.wholeNumber("limit", "5", 1, 10));
        assertEquals(Long.MAX_VALUE, RequestParameters.wholeNumber("id", "9223372036854775807", 1, Long.MAX_VALUE));
        assertNull(RequestParameters.wholeNumber("limit", "", 1, 10));
        for (String bad : List.of("0", "11", "-1", "+5", " 5", "5 ", "5.0", "1e1", "0x5", "\uff15", "\u0663", "-",
                "9223372036854775808", "99999999999999999999", "-9223372036854775809", "0000000000000000000005")) {
            assertRefused(() -> RequestParameters.wholeNumber("limit", bad, 1, 10), "invalid limit", "limit: must be a whole number from 1 to 10");
        }
        assertRefused(() -> RequestParameters.wholeNumber("id", "0", 1, Long.MAX_VALUE), "invalid id", "id: must be a positive whole number, got '0'");
    }

    @Test
    void uuid_text_is_strictly_8_4_4_4_12_hex() {
        assertTrue(routes.model.UuidText.matches("123e4567-e89b-12d3-a456-426614174000"));
        assertTrue(routes.model.UuidText.matches("123E4567-E89B-12D3-A456-426614174000"));
        for (String bad : List.of("1-2-3-4-5", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
                "123e4567-e89b-12d3-a456-4266141740000", "{123e4567-e89b-12d3-a456-426614174000}", "")) {
            assertFalse(routes.model.UuidText.matches(bad), bad);
        }
        assertFalse(routes.model.UuidText.matches(null));
    }

    @Test
    void percent_encoded_bytes_must_be_utf8() {
        assertTrue(RequestParameters.isUtf8("/messages/subject/%F0%9F%98%80%E4%B8%96abc"));
        assertTrue(RequestParameters.isUtf8("a+b%2Fc"));
        for (String bad : List.of("%FF", "%C0%AF", "%ED%A0%80", "%E4%B8", "%F4%90%80%80", "%", "%z1", "abc%4", "\u0100")) {
            assertFalse(RequestParameters.isUtf8(bad), bad);
        }
    }

    @Test
    void require_utf8_names_the_path_parameter_or_the_query_parameter() {
        assertRefused(() -> RequestParameters.requireUtf8(uri("/messages/subject/%C0%AF"), "subject_id", "cursor"),
                "invalid subject_id", "subject_id: its percent-encoded bytes are not UTF-8");
        assertRefused(() -> RequestParameters.requireUtf8(uri("/dead-letters?limit=5&reason=%FF"), null, "reason"),
                "invalid reason", "reason: its percent-encoded bytes are not UTF-8");
        assertRefused(() -> RequestParameters.requireUtf8(uri("/dead-letters?re%61son=%FF"), null, "reason"),
                "invalid reason", "reason:");
        // what the endpoint does not read is not its concern
        RequestParameters.requireUtf8(uri("/dead-letters?other=%FF"), null, "reason");
        RequestParameters.requireUtf8(uri("/messages/subject/%E4%B8%96?cursor=abc"), "subject_id", "cursor");
        RequestParameters.requireUtf8(new HashMap<>(), "subject_id", "cursor");
    }

    @Test
    void request_headers_that_would_steer_the_jdbc_or_sql_endpoint_or_the_status_are_dropped() {
        Map<String, Object> headers = new CaseInsensitiveMap();
        headers.put("CamelJdbcParameters", "1");
        headers.put("cameljdbcmaxrows", "1");
        headers.put("CamelSqlQuery", "DELETE FROM message_exchange");
        headers.put("CamelSqlParameters", "x");
        headers.put("CamelRetrieveGeneratedKeys", "true");
        headers.put("CamelGeneratedColumns", "x");
        headers.put("CamelHttpResponseCode", "500");
        headers.put("CamelHttpUri", "/messages/subject/x");
        headers.put("subject_id", "x");
        RequestParameters.dropSteeringHeaders(headers);
        assertEquals(Map.of("CamelHttpUri", "/messages/subject/x", "subject_id", "x"), new HashMap<>(headers));
    }

    @Test
    void shown_values_are_short_and_escape_what_a_reader_cannot_see() {
        assertEquals("'a\\u0000b'", RequestParameters.shown("a\u0000b"));
        assertEquals("'\\ud800'", RequestParameters.shown("\uD800"));
        assertEquals("'\uD83D\uDE00'", RequestParameters.shown("\uD83D\uDE00"));
        assertEquals("'" + "x".repeat(60) + "' (61 characters)", RequestParameters.shown("x".repeat(61)));
    }

    private static Map<String, Object> uri(String uri) {
        Map<String, Object> headers = new HashMap<>();
        headers.put("CamelHttpUri", uri);
        return headers;
    }

    private static void assertRefused(Runnable check, String error, String detail) {
        ClientErrorException e = assertThrows(ClientErrorException.class, check::run);
        assertEquals(400, e.status());
        assertEquals(error, e.error());
        assertTrue(e.details().stream().anyMatch(d -> d.contains(detail)), "'" + detail + "' in " + e.details());
    }
}
