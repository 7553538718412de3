package routes.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import static routes.support.Await.await;

/** GET /messages/subject/{id}: newest first, keyset pages linked by rel="next" until the history ends. */
@CamelMainTest(properties = {
        "batch.interval=200"
})
class SubjectPaginationRouteTest extends RouteTestSupport {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final Instant BASE = Instant.parse("2025-05-27T10:30:00Z");

    @Test
    void walks_a_subjects_whole_history_newest_first_without_gaps_or_repeats() {
        String subject = Messages.uniqueSubject("walker");
        // 250 messages the subject sent, received, or sent to itself; seven share each origin_ts, so the uuid
        // breaks ties, also across page boundaries; and some traffic of look-alike subjects that must not show up
        List<ObjectNode> history = new ArrayList<>();
        ArrayNode request = Json.array();
        for (int i = 0; i < 250; i++) {
            ObjectNode message = switch (i % 3) {
                case 0 -> Messages.complete(subject, "peer-" + i);
                case 1 -> Messages.complete("peer-" + i, "someone", subject);
                default -> Messages.complete(subject, subject, "peer-" + i);
            };
            message.put("origin_ts", BASE.plusMillis((i / 7) * 1500L).plusNanos((i / 7) * 1000L).toString());
            message.put("message_data", i);
            history.add(message);
            request.add(message);
        }
        for (int i = 0; i < 20; i++) {
            request.add(Messages.complete(subject + "x", "x" + subject, subject.toUpperCase()));
        }
        postAll(request);
        await(Duration.ofSeconds(15), () -> table.count("source_subject_id = ? OR ? = ANY(destination_subject_ids)", subject, subject) == 250,
                "all 250 messages of the subject are stored");

        List<List<JsonNode>> pages = walk("/messages/subject/" + subject + "?limit=40", 40);

        assertEquals(List.of(40, 40, 40, 40, 40, 40, 10), pages.stream().map(List::size).toList(), "page sizes");
        List<JsonNode> walked = pages.stream().flatMap(List::stream).toList();
        assertEquals(expectedOrder(history), walked.stream().map(m -> m.path("message_uuid").asText()).toList(),
                "every message once, newest first (origin_ts, then uuid, descending)");
        Map<String, ObjectNode> posted = byUuid(history);
        for (JsonNode message : walked) {
            assertEquals(Json.normalisedMessage(posted.get(message.path("message_uuid").asText())), Json.normalisedMessage(message));
        }
    }

    @Test
    void a_history_that_fills_its_last_page_exactly_ends_without_a_next_link() {
        String subject = Messages.uniqueSubject("exact");
        List<ObjectNode> history = new ArrayList<>();
        ArrayNode request = Json.array();
        for (int i = 0; i < 80; i++) {
            ObjectNode message = Messages.complete(subject, "peer");
            message.put("origin_ts", BASE.plusSeconds(i).toString());
            history.add(message);
            request.add(message);
        }
        postAll(request);
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", subject) == 80, "all 80 are stored");

        List<List<JsonNode>> pages = walk("/messages/subject/" + subject + "?limit=40", 40);

        assertEquals(List.of(40, 40), pages.stream().map(List::size).toList());
        assertEquals(expectedOrder(history), pages.stream().flatMap(List::stream).map(m -> m.path("message_uuid").asText()).toList());
    }

    @Test
    void pages_by_the_default_limit_of_100_when_none_is_given() {
        String subject = Messages.uniqueSubject("default");
        ArrayNode request = Json.array();
        for (int i = 0; i < 101; i++) {
            request.add(Messages.complete("peer", subject));
        }
        postAll(request);
        await(Duration.ofSeconds(10), () -> table.count("? = ANY(destination_subject_ids)", subject) == 101, "all 101 are stored");

        ApiResponse first = api.get("/messages/subject/" + subject);

        assertEquals(200, first.status(), first::toString);
        assertEquals(100, first.json().size());
        String next = nextLink(first);
        assertNotNull(next, "a Link to the 101st message: " + first);
        assertTrue(next.contains("limit=100"), next);
        ApiResponse last = api.get(next);
        assertEquals(1, last.json().size(), last::toString);
        assertNull(nextLink(last), last::toString);
    }

    @Test
    void next_links_work_for_a_subject_id_that_needs_url_encoding() {
        String subject = "team alpha é+" + UUID.randomUUID().toString().substring(0, 8);
        List<ObjectNode> history = new ArrayList<>();
        ArrayNode request = Json.array();
        for (int i = 0; i < 5; i++) {
            ObjectNode message = Messages.complete(subject, "peer");
            message.put("origin_ts", BASE.plusSeconds(i).toString());
            history.add(message);
            request.add(message);
        }
        postAll(request);
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", subject) == 5, "all 5 are stored");

        String encoded = URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
        List<List<JsonNode>> pages = walk("/messages/subject/" + encoded + "?limit=2", 2);

        assertEquals(List.of(2, 2, 1), pages.stream().map(List::size).toList());
        assertEquals(expectedOrder(history), pages.stream().flatMap(List::stream).map(m -> m.path("message_uuid").asText()).toList());
    }

    @Test
    void walks_a_history_from_before_the_gregorian_calendar_reform() {
        String subject = Messages.uniqueSubject("historian");
        List<ObjectNode> history = new ArrayList<>();
        ArrayNode request = Json.array();
        for (String day : List.of("1000-01-01", "1000-01-02", "1000-01-03")) {
            ObjectNode message = Messages.complete(subject, "peer");
            message.put("origin_ts", day + "T00:00:00Z");
            history.add(message);
            request.add(message);
        }
        postAll(request);
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", subject) == 3, "all 3 are stored");

        List<List<JsonNode>> pages = walk("/messages/subject/" + subject + "?limit=1", 1);

        assertEquals(expectedOrder(history), pages.stream().flatMap(List::stream).map(m -> m.path("message_uuid").asText()).toList(),
                "each message once, newest first");
    }

    @Test
    void an_unknown_subject_has_an_empty_history() {
        ApiResponse page = api.get("/messages/subject/" + Messages.uniqueSubject("nobody"));
        assertEquals(200, page.status(), page::toString);
        assertEquals(Json.array(), page.json());
        assertNull(nextLink(page));
    }

    /** Follows rel="next" from the first page to the one without it; checks each page on the way. */
    private List<List<JsonNode>> walk(String firstPage, int limit) {
        List<List<JsonNode>> pages = new ArrayList<>();
        Set<String> seenLinks = new HashSet<>();
        String next = firstPage;
        while (next != null) {
            assertTrue(seenLinks.add(next), "a next link never repeats: " + next);
            assertTrue(pages.size() < 100, "the walk ends");
            ApiResponse page = api.get(next);
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.json().isArray(), page::toString);
            assertTrue(page.json().size() <= limit, page::toString);
            List<JsonNode> items = new ArrayList<>();
            page.json().forEach(items::add);
            pages.add(items);
            next = nextLink(page);
            if (next != null) {
                assertEquals(limit, items.size(), "only the last page is short: " + page);
                assertTrue(next.contains("limit=" + limit), "the next link keeps the limit: " + next);
            }
        }
        return pages;
    }

    private static String nextLink(ApiResponse page) {
        String link = page.header("Link").orElse(null);
        if (link == null) {
            return null;
        }
        Matcher matcher = NEXT.matcher(link);
        assertTrue(matcher.find(), "a Link header is <uri>; rel=\"next\": " + link);
        return matcher.group(1);
    }

    /** The order PostgreSQL gives: origin_ts descending, then uuid descending (unsigned, i.e. as lowercase hex). */
    private static List<String> expectedOrder(List<ObjectNode> history) {
        return history.stream()
                .sorted(Comparator.<ObjectNode, Instant>comparing(m -> Json.isoUtc(m.get("origin_ts")))
                        .thenComparing(m -> m.get("message_uuid").asText().toLowerCase())
                        .reversed())
                .map(m -> m.get("message_uuid").asText().toLowerCase())
                .toList();
    }

    private static Map<String, ObjectNode> byUuid(List<ObjectNode> history) {
        Map<String, ObjectNode> byUuid = new LinkedHashMap<>();
        history.forEach(m -> byUuid.put(m.get("message_uuid").asText().toLowerCase(), m));
        return byUuid;
    }

    private void postAll(ArrayNode request) {
        ApiResponse accepted = api.postMessages(Json.write(request));
        assertEquals(202, accepted.status(), accepted::toString);
        assertEquals(request.size(), accepted.json().path("count").asInt());
    }
}
