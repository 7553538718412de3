package routes.security;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.FeedClient;
import routes.support.FeedClient.Handshake;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * The live feed against OWASP API2:2023 Broken Authentication and API4:2023 Unrestricted Resource Consumption (and
 * API1 for keys bound to subjects): every handshake is answered by the gate before any upgrade (403 foreign Origin,
 * 401 no working key or ticket, 403 no scope subscribe, 429 over a cap); tickets work once and expire; a bound key
 * sees only its subjects' messages; connection slots come back when connections end; and restarting one of the two
 * feed routes leaves every handshake working.
 */
@CamelMainTest(properties = {
        "security.admin-key=" + TestKeys.ADMIN,
        "security.key-refresh-interval=100",
        "batch.interval=100",
        "feed.ticket-ttl=3",
        "feed.max-clients=25",
        "feed.max-clients-per-key=20"
})
class FeedSecurityRouteTest extends RouteTestSupport {

    private static final Duration SOON = Duration.ofSeconds(10);
    private static final Duration KEY_REFRESH = Duration.ofMillis(100);
    private static final Map<String, String> ADMIN = bearer(TestKeys.ADMIN);

    private final ApiClient admin = api.withKey(TestKeys.ADMIN);

    @Test
    void a_page_of_another_origin_cannot_open_the_feed_even_with_a_key() {
        String subscriber = key("origin", List.of("subscribe"), null);
        for (String foreign : List.of("http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:" + owned.httpPort() + ".evil.example")) {
            Handshake refused = FeedClient.handshake(owned.feedPort(), "/", with(bearer(subscriber), "Origin", foreign));
            assertEquals(403, refused.status(), foreign + ": " + refused);
            assertEquals("forbidden", Json.parse(refused.body()).path("error").asText(), refused.toString());
        }
        CompletionException noSocket = assertThrows(CompletionException.class, () -> FeedClient.connect(owned.feedPort(), "/",
                with(bearer(subscriber), "Origin", "http://evil.example")), "no socket, so not a single message");
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, noSocket.getCause());
        assertEquals(403, handshake.getResponse().statusCode());

        // the service's own pages (the dashboard on http.port) and programs, which send no Origin
        try (Handshake own = FeedClient.handshake(owned.feedPort(), "/events", with(bearer(subscriber), "Origin",
                "http://127.0.0.1:" + owned.httpPort()));
             Handshake program = FeedClient.handshake(owned.feedPort(), "/", bearer(subscriber))) {
            assertEquals(101, own.status(), own.toString());
            assertEquals(101, program.status(), program.toString());
        }
    }

    @Test
    void no_working_key_is_401_with_a_challenge_and_no_scope_subscribe_is_403() {
        Handshake none = FeedClient.handshake(owned.feedPort(), "/", Map.of());
        assertEquals(401, none.status(), "keys exist, so loopback is not anonymous any more: " + none);
        assertTrue(none.headers().get("www-authenticate").startsWith("Bearer"), none.toString());
        assertEquals("unauthorized", Json.parse(none.body()).path("error").asText());

        Handshake malformed = FeedClient.handshake(owned.feedPort(), "/events", Map.of("Authorization", "Basic dXNlcjpwdw=="));
        assertEquals(401, malformed.status(), malformed.toString());
        assertTrue(malformed.headers().get("www-authenticate").contains("invalid_request"), malformed.toString());
        Handshake unknown = FeedClient.handshake(owned.feedPort(), "/", bearer("mlk_0123456789abcdef_" + "x".repeat(43)));
        assertEquals(401, unknown.status(), unknown.toString());
        assertTrue(unknown.headers().get("www-authenticate").contains("invalid_token"), unknown.toString());

        String reader = key("reader", List.of("read", "ingest"), null);
        Handshake noScope = FeedClient.handshake(owned.feedPort(), "/", bearer(reader));
        assertEquals(403, noScope.status(), noScope.toString());
        assertTrue(noScope.body().contains("subscribe"), noScope.toString());
        assertEquals(403, api.withKey(reader).post("/feed/tickets", "application/json", "").status(),
                "nor does it get a ticket");
        assertEquals(401, api.post("/feed/tickets", "application/json", "").status());
    }

    @Test
    void a_key_with_scope_subscribe_receives_frames() {
        String subscriber = key("subscriber", List.of("subscribe"), null);
        try (FeedClient client = FeedClient.withKey(owned.feedPort(), "/", subscriber)) {
            awaitFeedClients(1);
            String text = "published " + Messages.uniqueSubject("keyed");
            queue.publish(owned.queueName(), text);
            assertEquals(text, client.awaitFrame(SOON, text::equals, "the published text"));
        }
    }

    @Test
    void the_query_string_cannot_set_camels_headers_of_the_connection() {
        String subscriber = key("header games", List.of("subscribe"), null);
        try (FeedClient client = FeedClient.withKey(owned.feedPort(),
                "/?CamelVertxWebsocket.event=CLOSE&camelVertxWebsocket.connectionKey=someone-else", subscriber)) {
            awaitFeedClients(1);
            String text = "still counted " + Messages.uniqueSubject("headers");
            queue.publish(owned.queueName(), text);
            client.awaitFrame(SOON, text::equals, "the published text");
        }
    }

    @Test
    void a_ticket_works_once_and_only_within_its_lifetime() {
        String subscriber = key("browser", List.of("subscribe"), null);
        ApiClient browser = api.withKey(subscriber);
        ApiResponse issued = browser.post("/feed/tickets", "text/plain", "");
        assertEquals(200, issued.status(), issued.toString());
        String ticket = issued.json().path("ticket").asText();
        assertEquals(3, issued.json().path("expires_in").asInt(), "feed.ticket-ttl");
        assertTrue(ticket.length() >= 22, "at least 128 random bits: " + ticket);
        assertTrue(queue.keys().stream().noneMatch(key -> key.contains(ticket)), "Redis holds a hash of the ticket, not the ticket");

        try (FeedClient client = FeedClient.connect(owned.feedPort(), "/?ticket=" + ticket)) {
            awaitFeedClients(1);
            String text = "for the ticket holder " + Messages.uniqueSubject("ticket");
            queue.publish(owned.queueName(), text);
            client.awaitFrame(SOON, text::equals, "the published text");
        }
        Handshake again = FeedClient.handshake(owned.feedPort(), "/?ticket=" + ticket, Map.of());
        assertEquals(401, again.status(), "a ticket works once: " + again);
        assertTrue(again.headers().get("www-authenticate").contains("invalid_token"), again.toString());

        String unused = browser.post("/feed/tickets", "application/json", "{}").json().path("ticket").asText();
        await(SOON, () -> queue.keys().stream().noneMatch(key -> key.contains(":feed-ticket:")), "the ticket expired in Redis");
        Handshake late = FeedClient.handshake(owned.feedPort(), "/?ticket=" + unused, Map.of());
        assertEquals(401, late.status(), "after feed.ticket-ttl: " + late);
        Handshake madeUp = FeedClient.handshake(owned.feedPort(), "/?ticket=" + "A".repeat(43), Map.of());
        assertEquals(401, madeUp.status(), madeUp.toString());
    }

    @Test
    void a_bound_key_sees_only_its_subjects_messages_whatever_it_asks_for() {
        String alice = Messages.uniqueSubject("alice");
        String bob = Messages.uniqueSubject("bob");
        String carol = Messages.uniqueSubject("carol");
        String aliceKey = key("alice's watcher", List.of("subscribe"), List.of(alice));
        // the events stream through a ticket: a ticket carries the key's subjects
        String ticket = api.withKey(aliceKey).post("/feed/tickets", "application/json", "").json().path("ticket").asText();
        try (FeedClient bound = FeedClient.withKey(owned.feedPort(), "/?subject=" + bob, aliceKey);
             FeedClient boundEvents = FeedClient.connect(owned.feedPort(), "/events?subject=" + bob + "&ticket=" + ticket);
             FeedClient everything = FeedClient.connect(owned.feedPort(), "/events", ADMIN)) {
            awaitFeedClients(3);
            String aliceToBob = post(alice, bob);
            String bobToCarol = post(bob, carol);
            String carolToAlice = post(carol, alice);
            queue.publish(owned.queueName(), "not JSON, no subjects " + alice);
            String last = post(alice, bob);

            bound.awaitFrame(SOON, frame -> frame.contains(last), "the last message");
            everything.awaitFrame(SOON, frame -> frame.contains(last), "the last message");
            await(SOON, () -> persistedIds(everything).containsAll(Set.of(aliceToBob, bobToCarol, carolToAlice, last)),
                    "batch_persisted for all four, to a key that sees everything");
            await(SOON, () -> persistedIds(boundEvents).containsAll(Set.of(aliceToBob, carolToAlice, last)),
                    "batch_persisted for alice's three");
            await(SOON, () -> count(everything, "stats") >= 2, "stats events to a key that may read /stats");

            assertEquals(Set.of(aliceToBob, last), messageIds(bound), "?subject=bob, but only what alice takes part in");
            assertEquals(Set.of(aliceToBob, last), messageIds(boundEvents));
            assertEquals(Set.of(aliceToBob, carolToAlice, last), persistedIds(boundEvents),
                    "batch_persisted names only ids alice may read: " + boundEvents.frames());
            assertTrue(bound.frames().stream().noneMatch(frame -> frame.startsWith("not JSON")), "text without subjects");
            assertTrue(boundEvents.frames().stream().noneMatch(frame -> frame.contains(bobToCarol)), boundEvents.frames().toString());
            for (String frame : boundEvents.frames()) {
                JsonNode event = Json.parse(frame);
                assertFalse(event.has("subjects"), "the subjects on the events channel stay there: " + frame);
                if (event.path("type").asText().equals("batch_persisted")) {
                    assertEquals(event.path("ids").size(), event.path("batch_size").asInt(), frame);
                }
            }
            assertEquals(0, count(boundEvents, "stats"), "no stats for a key without scope read");
            assertTrue(everything.frames().stream().noneMatch(frame -> frame.contains("\"subjects\"")), "nor for anyone");
        }
    }

    @Test
    void a_connection_ends_when_its_key_is_revoked() {
        String subscriber = key("to be revoked", List.of("subscribe"), null);
        try (FeedClient client = FeedClient.withKey(owned.feedPort(), "/", subscriber)) {
            awaitFeedClients(1);
            String id = subscriber.substring("mlk_".length(), "mlk_".length() + 16);
            assertEquals(200, admin.send("DELETE", "/keys/" + id).status());
            assertEquals(1008, client.awaitCloseCode(SOON), "policy violation: the key no longer works");
        }
    }

    @Test
    void caps_refuse_the_connection_over_the_limit_with_429_and_a_closed_one_frees_its_slot() {
        awaitFeedClients(0);
        String busy = key("busy", List.of("subscribe"), null);
        String other = key("other", List.of("subscribe"), null);
        List<Handshake> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                open.add(upgraded(FeedClient.handshake(owned.feedPort(), i % 2 == 0 ? "/" : "/events", bearer(busy))));
            }
            Handshake perKey = FeedClient.handshake(owned.feedPort(), "/", bearer(busy));
            assertEquals(429, perKey.status(), "the 21st connection of one key: " + perKey);
            assertEquals("too many connections", Json.parse(perKey.body()).path("error").asText(), perKey.toString());
            assertTrue(perKey.body().contains("feed.max-clients-per-key"), perKey.toString());
            assertNotNull(perKey.headers().get("retry-after"), perKey.toString());

            for (int i = 0; i < 5; i++) {
                open.add(upgraded(FeedClient.handshake(owned.feedPort(), "/", bearer(other))));
            }
            Handshake total = FeedClient.handshake(owned.feedPort(), "/", bearer(other));
            assertEquals(429, total.status(), "the 26th connection in all: " + total);
            assertTrue(total.body().contains("feed.max-clients)"), total.toString());
            awaitFeedClients(25);

            open.remove(0).close();
            Handshake freed = awaitValue(SOON, () -> FeedClient.handshake(owned.feedPort(), "/", bearer(busy)),
                    Handshake::upgraded, "a slot freed by a closed connection");
            open.add(freed);
        } finally {
            open.forEach(Handshake::close);
        }
        awaitFeedClients(0); // every closed connection is forgotten, its slot given back
        try (Handshake again = FeedClient.handshake(owned.feedPort(), "/", bearer(busy))) {
            assertEquals(101, again.status(), again.toString());
        }
    }

    @Test
    void stopping_and_starting_feed_clients_keeps_every_handshake_working() throws Exception {
        awaitFeedClients(0);
        String subscriber = key("restarts", List.of("subscribe"), null);
        RouteController routes = getCamelContext().getRouteController();
        for (int i = 0; i < 5; i++) {
            routes.stopRoute("feed-clients");
            routes.startRoute("feed-clients");
        }
        routes.stopRoute("feed-event-clients");
        routes.startRoute("feed-event-clients");
        assertEquals(ServiceStatus.Started, routes.getRouteStatus("feed-clients"));
        assertEquals(ServiceStatus.Started, routes.getRouteStatus("feed-event-clients"));

        List<Handshake> open = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                String path = i % 4 == 3 ? "/events" : "/";
                Handshake handshake = FeedClient.handshake(owned.feedPort(), path, bearer(subscriber));
                open.add(handshake);
                assertEquals(101, handshake.status(), "handshake " + (i + 1) + " on " + path + ": " + handshake);
            }
            awaitFeedClients(20);
        } finally {
            open.forEach(Handshake::close);
        }
        awaitFeedClients(0);
    }

    private String post(String from, String to) {
        ObjectNode message = Messages.minimal(from, to);
        String uuid = UUID.randomUUID().toString();
        message.put("message_uuid", uuid);
        ApiResponse accepted = admin.postMessages(Json.write(message));
        assertEquals(202, accepted.status(), accepted.body());
        return uuid;
    }

    /**
     * A new key, once it works for good: a key refresh that read the table just before the key was made can hide it
     * again until the next refresh (ApiKeys.refresh replaces the map create added it to), so wait for a later one.
     */
    private String key(String name, List<String> scopes, List<String> subjects) {
        String key = TestKeys.create(admin, name, scopes, subjects);
        long made = System.nanoTime();
        // an unknown path answers 404 to a working key, 401 to any other
        await(SOON, () -> System.nanoTime() - made > 3 * KEY_REFRESH.toNanos() && api.withKey(key).get("/feed").status() == 404,
                "the new key works after a refresh");
        return key;
    }

    private void awaitFeedClients(int clients) {
        await(SOON, () -> admin.get("/stats").json().path("feed").path("clients").asInt() == clients,
                clients + " feed client(s) connected");
    }

    private static Handshake upgraded(Handshake handshake) {
        assertEquals(101, handshake.status(), handshake.toString());
        return handshake;
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return all;
    }

    /** The uuids of the messages a client received, from either stream's frames. */
    private static Set<String> messageIds(FeedClient client) {
        Set<String> ids = new HashSet<>();
        for (String frame : client.frames()) {
            if (!frame.startsWith("{")) {
                continue;
            }
            JsonNode node = Json.parse(frame);
            JsonNode message = node.path("type").asText().equals("message") ? node.get("message") : node;
            if (message.has("message_uuid")) {
                ids.add(message.get("message_uuid").asText());
            }
        }
        return ids;
    }

    private static Set<String> persistedIds(FeedClient client) {
        Set<String> ids = new HashSet<>();
        for (String frame : client.frames()) {
            JsonNode event = Json.parse(frame);
            if (event.path("type").asText().equals("batch_persisted")) {
                event.path("ids").forEach(id -> ids.add(id.asText()));
            }
        }
        return ids;
    }

    private static long count(FeedClient client, String type) {
        return client.frames().stream().filter(frame -> frame.contains("\"type\":\"" + type + "\"")).count();
    }
}
