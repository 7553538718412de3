package routes.query;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import static routes.query.HostileParameters.encode;
import static routes.support.Await.await;

/**
 * Every path and query parameter of the query and dead-letter endpoints is checked before it reaches the SQL: what
 * PostgreSQL would refuse is a 400 naming the parameter, never a 500. The examples name each rule; the properties at
 * the end send random hostile values (from a fixed seed, printed with any failure) and hold that no answer is a 5xx
 * and every 4xx is a JSON error.
 */
@CamelMainTest(properties = {
        "batch.interval=200"
})
class QueryParameterValidationRouteTest extends RouteTestSupport {

    private static final String UUID_TEXT = "123e4567-e89b-12d3-a456-426614174000";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    /** Requests per property; -Dhostile.tries=N and -Dhostile.seed=S to explore further. */
    private static final int TRIES = Integer.getInteger("hostile.tries", 200);
    private static final long SEED = Long.getLong("hostile.seed", 20261202L);

    // ---------------------------------------------------------------- text: NUL, not UTF-8, lone surrogates

    @Test
    void subject_with_nul_is_400() {
        assertError(api.get("/messages/subject/%00"), 400, "invalid subject_id", "subject_id: contains a NUL character");
        assertError(api.get("/messages/subject/a%00b?limit=5"), 400, "invalid subject_id", "subject_id");
    }

    @Test
    void reason_with_nul_is_400_when_listing_replaying_and_purging() {
        assertError(api.get("/dead-letters?reason=%00"), 400, "invalid reason", "reason: contains a NUL character");
        assertError(api.send("POST", "/dead-letters/replay?reason=a%00"), 400, "invalid reason", "reason");
        assertError(api.send("DELETE", "/dead-letters?reason=%00b"), 400, "invalid reason", "reason");
    }

    @Test
    void percent_encoded_bytes_that_are_not_utf8_are_400() {
        // an overlong '/', a lone 0xFF, an encoded surrogate, a cut-off three-byte character
        for (String bytes : List.of("%C0%AF", "%FF", "%ED%A0%80", "%E4%B8")) {
            assertError(api.get("/messages/subject/a" + bytes), 400, "invalid subject_id", "subject_id: its percent-encoded bytes are not UTF-8");
            assertError(api.get("/messages/subject/a?cursor=" + bytes), 400, "invalid cursor", "cursor");
            assertError(api.get("/dead-letters?reason=" + bytes), 400, "invalid reason", "reason: its percent-encoded bytes are not UTF-8");
            assertError(api.send("POST", "/dead-letters/replay?reason=" + bytes), 400, "invalid reason", "reason");
            assertError(api.send("DELETE", "/dead-letters?reason=" + bytes), 400, "invalid reason", "reason");
        }
    }

    @Test
    void subjects_that_can_be_stored_can_be_asked_for() {
        String unique = Messages.uniqueSubject("odd");
        List<String> subjects = List.of(unique + " with spaces/slashes?&=+%", unique + "-\u4e16\u754c-\uD83D\uDE00",
                unique + "-tab\t-control\u0001-bom\uFEFF", unique + "-" + "x".repeat(1023 - unique.length()));
        ArrayNode request = Json.array();
        for (String subject : subjects) {
            request.add(Messages.complete(subject, "nobody"));
        }
        assertEquals(202, api.postMessages(Json.write(request)).status());
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id LIKE ?", unique + "%") == subjects.size(), "all stored");

        for (String subject : subjects) {
            ApiResponse response = api.get("/messages/subject/" + encode(subject));
            assertEquals(200, response.status(), response::toString);
            assertEquals(subject, response.json().path(0).path("source_subject_id").asText(), response::toString);
        }
    }

    // ---------------------------------------------------------------- GET /messages/{uuid}

    @Test
    void message_uuid_that_is_not_8_4_4_4_12_hex_is_400() {
        for (String uuid : List.of("1-2-3-4-5", "%00", "123e4567e89b12d3a456426614174000", UUID_TEXT + "0", "%FF")) {
            assertError(api.get("/messages/" + uuid), 400, "invalid uuid", "message_uuid");
        }
        assertEquals(404, api.get("/messages/" + UUID_TEXT.toUpperCase()).status(), "either case is a uuid");
    }

    // ---------------------------------------------------------------- cursors of GET /messages/subject/{id}

    @Test
    void cursor_with_an_impossible_uuid_is_400() {
        for (String uuid : List.of("1-2-3-4-5", "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
                UUID_TEXT.toUpperCase(), "00000000-0000-0000-0000-00000000000")) {
            assertError(api.get("/messages/subject/someone?cursor=" + cursor("2025-05-27T10:30:00Z|" + uuid)), 400, "invalid cursor", "cursor");
        }
    }

    @Test
    void cursor_outside_the_storable_years_is_400() {
        for (String ts : List.of("+10000-01-01T00:00:00Z", "0000-12-31T23:59:59.999999Z", "-4713-11-24T00:00:00Z",
                "+294277-01-01T00:00:00Z", "-1000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z")) {
            assertError(api.get("/messages/subject/someone?cursor=" + cursor(ts + "|" + UUID_TEXT)), 400, "invalid cursor", "cursor");
        }
    }

    @Test
    void cursor_that_does_not_round_trip_is_400() {
        List<String> tokens = new ArrayList<>();
        for (String text : List.of("2025-05-27T10:30:00.000Z|", "2025-05-27T10:30:00.1234567Z|", "2025-05-27T12:30:00+02:00|",
                "infinity|", "2025-05-27T10:30:00Z|" + UUID_TEXT + "|")) {
            tokens.add(cursor(text + UUID_TEXT));
        }
        tokens.add(cursor("2025-05-27T10:30:00.100Z|" + UUID_TEXT) + "%3D%3D");
        tokens.add(cursor("2025-05-27T10:30:00Z|" + UUID_TEXT) + "A");
        tokens.add("A".repeat(3000));
        for (String token : tokens) {
            assertError(api.get("/messages/subject/someone?cursor=" + token), 400, "invalid cursor", "cursor");
        }
    }

    @Test
    void cursors_of_the_first_and_last_storable_instants_page_through() {
        String subject = Messages.uniqueSubject("extremes");
        List<String> newestFirst = List.of("9999-12-31T23:59:59.999999Z", "2025-05-27T10:30:00.5Z", "0001-01-01T00:00:00Z");
        ArrayNode request = Json.array();
        for (String ts : newestFirst) {
            ObjectNode message = Messages.complete(subject, "nobody");
            message.put("origin_ts", ts);
            request.add(message);
        }
        assertEquals(202, api.postMessages(Json.write(request)).status());
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", subject) == 3, "all three stored");

        List<String> walked = new ArrayList<>();
        String next = "/messages/subject/" + subject + "?limit=1";
        while (next != null) {
            ApiResponse page = api.get(next);
            assertEquals(200, page.status(), page::toString);
            page.json().forEach(m -> walked.add(m.path("origin_ts").asText()));
            Matcher link = NEXT.matcher(page.header("Link").orElse(""));
            next = link.find() ? link.group(1) : null;
        }
        assertEquals(List.of("9999-12-31T23:59:59.999999Z", "2025-05-27T10:30:00.500Z", "0001-01-01T00:00:00Z"), walked);
    }

    // ---------------------------------------------------------------- numbers

    @Test
    void dead_letter_id_that_is_not_a_positive_long_is_400() {
        for (String id : List.of("0", "-1", "9223372036854775808", "99999999999999999999", "%D9%A3", "%2B3", "1.0", "%00", "%FF", "1e3")) {
            assertError(api.get("/dead-letters/" + id), 400, "invalid id", "id: must be a positive whole number");
            assertError(api.send("DELETE", "/dead-letters/" + id), 400, "invalid id", "id");
            assertError(api.send("POST", "/dead-letters/" + id + "/replay"), 400, "invalid id", "id");
        }
        assertError(api.get("/dead-letters/9223372036854775807"), 404, "no dead letter with id 9223372036854775807");
    }

    @Test
    void dead_letter_cursor_and_limits_out_of_range_are_400() {
        for (String cursor : List.of("0", "-1", "-9223372036854775808", "9223372036854775808", "%EF%BC%91", "abc")) {
            assertError(api.get("/dead-letters?cursor=" + cursor), 400, "invalid cursor", "cursor");
        }
        for (String limit : List.of("0", "1001", "99999999999999999999", "-9223372036854775809", "%EF%BC%91", "%2B5")) {
            assertError(api.get("/dead-letters?limit=" + limit), 400, "invalid limit", "limit");
            assertError(api.get("/messages/subject/someone?limit=" + limit), 400, "invalid limit", "limit");
        }
        assertEquals(200, api.get("/dead-letters?cursor=9223372036854775807&limit=1000").status());
    }

    @Test
    void a_parameter_given_twice_is_400() {
        assertError(api.get("/messages/subject/someone?limit=1&limit=2"), 400, "invalid limit", "limit: given 2 times");
        assertError(api.get("/dead-letters?reason=a&reason=b"), 400, "invalid reason", "reason: given 2 times");
        assertError(api.get("/messages/subject/someone?subject_id=other"), 400, "invalid subject_id", "subject_id: given 2 times");
    }

    // ---------------------------------------------------------------- what is no parameter at all

    @Test
    void query_parameters_named_like_camel_headers_change_nothing() {
        for (String query : List.of("CamelJdbcParameters=1", "CamelHttpResponseCode=500", "camelhttpresponsecode=abc",
                "CamelRetrieveGeneratedKeys=true", "CamelJdbcMaxRows=0", "CamelSqlQuery=SELECT%201",
                "CamelSqlDataSource=x")) {
            for (String path : List.of("/messages/subject/someone", "/dead-letters")) {
                ApiResponse response = api.get(path + "?" + query);
                assertEquals(200, response.status(), response::toString);
                assertEquals(Json.array(), response.json(), response::toString);
            }
            assertError(api.get("/dead-letters/1?" + query), 404, "no dead letter with id 1");
        }
    }

    @Test
    void a_request_line_longer_than_the_server_takes_is_refused_not_500() {
        // Vert.x refuses a request line over 4096 bytes itself (414, empty body), before any route runs
        String longSubject = "x".repeat(5000);
        for (String path : List.of("/messages/subject/" + longSubject, "/messages/subject/s?cursor=" + longSubject,
                "/dead-letters?reason=" + longSubject)) {
            int status = api.get(path).status();
            assertTrue(status >= 400 && status < 500, "4xx, got " + status);
        }
    }

    // ---------------------------------------------------------------- properties: random hostile values

    @Test
    void hostile_path_parameters_never_get_a_5xx() {
        HostileParameters hostile = new HostileParameters(SEED);
        List<Target> targets = List.of(
                new Target("GET", v -> "/messages/" + v), new Target("GET", v -> "/messages/subject/" + v),
                new Target("GET", v -> "/dead-letters/" + v), new Target("DELETE", v -> "/dead-letters/" + v),
                new Target("POST", v -> "/dead-letters/" + v + "/replay"));
        for (int i = 0; i < TRIES; i++) {
            HostileParameters.Value value = hostile.any();
            Target target = hostile.oneOf(targets);
            assertNoServerError(target.method(), target.path().apply(value.encoded()), "try " + i + ": " + value);
        }
    }

    @Test
    void hostile_query_parameters_never_get_a_5xx() {
        HostileParameters hostile = new HostileParameters(SEED + 1);
        List<String> endpoints = List.of("GET /messages/subject/someone", "GET /dead-letters", "POST /dead-letters/replay",
                "DELETE /dead-letters");
        for (int i = 0; i < TRIES; i++) {
            String[] endpoint = hostile.oneOf(endpoints).split(" ");
            List<String> names = endpoint[1].startsWith("/messages") ? List.of("limit", "cursor")
                    : endpoint[0].equals("GET") ? List.of("limit", "cursor", "reason") : List.of("reason");
            StringBuilder query = new StringBuilder();
            StringBuilder sent = new StringBuilder("try " + i + ":");
            for (int n = hostile.between(1, names.size()); n > 0; n--) {
                String name = hostile.oneOf(names);
                HostileParameters.Value value = hostile.any();
                query.append(query.length() == 0 ? "?" : "&").append(name).append('=').append(value.encoded());
                sent.append(' ').append(name).append('=').append(value);
            }
            String path = endpoint[1].startsWith("/messages") && hostile.between(0, 2) == 0
                    ? "/messages/subject/" + hostile.text().encoded() : endpoint[1];
            if (path.length() + query.length() > 3900) {
                continue; // over the request line the server takes; see a_request_line_longer_than_the_server_takes...
            }
            assertNoServerError(endpoint[0], path + query, sent.toString());
        }
    }

    @Test
    void changed_cursors_never_get_a_5xx_and_unchanged_ones_are_taken() {
        HostileParameters hostile = new HostileParameters(SEED + 2);
        for (int i = 0; i < TRIES; i++) {
            if (i % 4 == 0) {
                String cursor = hostile.validCursor();
                ApiResponse response = api.get("/messages/subject/someone?cursor=" + cursor);
                assertEquals(200, response.status(), "seed " + SEED + ", try " + i + ": a cursor as issued: " + response);
            } else {
                HostileParameters.Value value = hostile.mutatedCursor();
                assertNoServerError("GET", "/messages/subject/someone?cursor=" + value.encoded(), "try " + i + ": " + value);
            }
        }
    }

    private record Target(String method, Function<String, String> path) {
    }

    /**
     * No 5xx, and a 4xx is a JSON error, never the database's refusal (ErrorResponses' backstop); a failure names the
     * seed and the value that caused it.
     */
    private void assertNoServerError(String method, String path, String input) {
        ApiResponse response = api.send(method, path);
        String failure = "seed " + SEED + ", " + input + "\n  -> " + response;
        assertTrue(response.status() < 500, failure);
        if (response.status() >= 400) {
            assertTrue(response.header("Content-Type").orElse("").startsWith("application/json"), "JSON error body: " + failure);
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(response.body());
            } catch (Exception e) {
                throw new AssertionError("body is not JSON: " + failure, e);
            }
            assertTrue(body.path("error").isTextual() && body.path("details").isArray(), "{error, details}: " + failure);
            assertNotEquals("invalid parameter", body.path("error").asText(),
                    "the request checks, not the database, refuse a bad parameter: " + failure);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String cursor(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** As RejectedRequestsRouteTest: the status, a JSON content type, an error starting with {@code error}, details naming each of {@code mentioned}. */
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
