package routes.feed;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.FeedClient;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * The live feed with real WebSocket clients: the plain stream on {@code /}, typed events on {@code /events},
 * filters, and a client that never reads. The feed channel is this class's queue name (the default).
 */
@CamelMainTest(properties = {
        "batch.interval=200",
        "feed.client-buffer=1048576",
        "feed.slow-client-timeout=1000"
})
class LiveFeedRouteTest extends RouteTestSupport {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Test
    void a_posted_message_arrives_on_the_plain_stream_as_its_get_json() {
        try (FeedClient client = FeedClient.connect(owned.feedPort(), "/")) {
            awaitConnected(1);
            ObjectNode posted = Messages.complete(Messages.uniqueSubject("feed"), "r1", "r2");
            String uuid = posted.get("message_uuid").asText();
            assertEquals(202, api.postMessages(Json.write(posted)).status());

            String frame = client.awaitFrame(SOON, text -> text.contains(uuid), "the posted message");
            ApiResponse stored = awaitValue(SOON, () -> api.get("/messages/" + uuid), r -> r.status() == 200, "stored");
            assertEquals(stored.json(), Json.parse(frame), "the feed carries the JSON GET /messages/{uuid} returns");
        }
    }

    @Test
    void text_published_by_another_service_arrives_unchanged() {
        try (FeedClient plain = FeedClient.connect(owned.feedPort(), "/");
             FeedClient events = FeedClient.connect(owned.feedPort(), "/events")) {
            awaitConnected(2);
            String raw = "not JSON at all: {\"half\": " + Messages.uniqueSubject("raw");
            // a PUBLISH on the channel, as redis-cli or any other service sends it (no redis-cli needed to test it)
            assertTrue(queue.publish(owned.queueName(), raw) >= 1, "the feed subscribes to the channel");

            assertEquals(raw, plain.awaitFrame(SOON, raw::equals, "the published text"));
            String event = events.awaitFrame(SOON, text -> text.contains("\"type\":\"message\""), "a message event");
            JsonNode typed = Json.parse(event);
            assertEquals("message", typed.path("type").asText());
            assertEquals(raw, typed.path("message").asText(), "text that is not JSON travels as a JSON string");
        }
    }

    @Test
    void a_persisted_event_names_the_ids_of_the_batch_after_their_message_events() {
        try (FeedClient events = FeedClient.connect(owned.feedPort(), "/events")) {
            awaitConnected(1);
            String sender = Messages.uniqueSubject("batch");
            ArrayNode array = Json.array();
            for (int i = 0; i < 3; i++) {
                array.add(Messages.minimal(sender, "r"));
            }
            ApiResponse accepted = api.postMessages(Json.write(array));
            assertEquals(202, accepted.status(), accepted::toString);
            Set<String> uuids = new HashSet<>();
            accepted.json().path("message_uuids").forEach(id -> uuids.add(id.asText()));

            Set<String> persisted = awaitValue(SOON, () -> persistedIds(events.frames()), ids -> ids.containsAll(uuids),
                    "batch_persisted events naming " + uuids);
            assertTrue(persisted.containsAll(uuids));
            List<JsonNode> typed = events.frames().stream().map(Json::parse).toList();
            for (JsonNode event : typed) {
                if (event.path("type").asText().equals("batch_persisted")) {
                    assertEquals(event.path("ids").size(), event.path("batch_size").asInt(), event.toString());
                    assertFalse(event.path("timestamp").asText().isEmpty(), event.toString());
                }
            }
            for (String uuid : uuids) {
                int messageAt = indexOf(typed, "message", uuid);
                int persistedAt = indexOf(typed, "batch_persisted", uuid);
                assertTrue(messageAt >= 0 && messageAt < persistedAt, uuid + ": message event, then persisted event");
            }
            await(SOON, () -> typed.stream().anyMatch(e -> e.path("type").asText().equals("stats"))
                    || events.frames().stream().anyMatch(f -> f.contains("\"type\":\"stats\"")), "a stats event");
        }
    }

    @Test
    void filters_deliver_only_matching_messages() {
        String alice = Messages.uniqueSubject("alice");
        String topic = Messages.uniqueSubject("topic");
        String type = Messages.uniqueSubject("type");
        try (FeedClient bySubject = FeedClient.connect(owned.feedPort(), "/?subject=" + alice);
             FeedClient byTopic = FeedClient.connect(owned.feedPort(), "/events?topic=" + topic);
             FeedClient byType = FeedClient.connect(owned.feedPort(), "/?type=" + type);
             FeedClient byTopicAndType = FeedClient.connect(owned.feedPort(), "/?topic=" + topic + "&type=" + type)) {
            awaitConnected(4);
            ObjectNode fromAlice = Messages.minimal(alice, "bob");
            ObjectNode toAlice = Messages.minimal("carol", "dave", alice);
            ObjectNode onTopic = Messages.minimal("erin", "frank");
            onTopic.put("topic", topic);
            ObjectNode ofType = Messages.minimal("grace", "heidi");
            ofType.put("message_type", type);
            ObjectNode other = Messages.minimal("ivan", "judy");
            other.put("topic", "elsewhere");
            // last: matches every filter, so once it arrived everything before it has been relayed
            ObjectNode all = Messages.minimal(alice, "bob");
            all.put("topic", topic);
            all.put("message_type", type);
            List<ObjectNode> posted = List.of(fromAlice, toAlice, onTopic, ofType, other, all);
            for (ObjectNode message : posted) {
                message.put("message_uuid", UUID.randomUUID().toString());
                assertEquals(202, api.postMessages(Json.write(message)).status());
            }
            String last = all.get("message_uuid").asText();
            for (FeedClient client : List.of(bySubject, byTopic, byType, byTopicAndType)) {
                client.awaitFrame(SOON, frame -> frame.contains(last), "the message every filter matches");
            }

            assertEquals(uuids(fromAlice, toAlice, all), received(bySubject), "?subject= matches sender or recipient");
            assertEquals(uuids(onTopic, all), received(byTopic), "?topic=");
            assertEquals(uuids(ofType, all), received(byType), "?type= is message_type");
            assertEquals(uuids(all), received(byTopicAndType), "two parameters must both match");
        }
    }

    @Test
    void a_client_that_never_reads_does_not_hold_up_another_and_is_dropped() {
        try (FeedClient stuck = FeedClient.neverReading(owned.feedPort(), "/");
             FeedClient reader = FeedClient.connect(owned.feedPort(), "/")) {
            awaitConnected(2);
            // 24 MiB: far more than the stuck client's socket buffers and feed.client-buffer (1 MiB) can hold
            String padding = "x".repeat(16 * 1024);
            int count = 1500;
            String tag = Messages.uniqueSubject("flood");
            for (int i = 0; i < count; i++) {
                queue.publish(owned.queueName(), "{\"flood\":\"" + tag + "\",\"n\":" + i + ",\"pad\":\"" + padding + "\"}");
                if (i % 25 == 24) {
                    pause(50); // about 8 MB/s: a heavy feed, that a client which reads keeps up with
                }
            }
            String lastFrame = "\"n\":" + (count - 1) + ",";
            reader.awaitFrame(Duration.ofSeconds(30), frame -> frame.contains(lastFrame), "the last of " + count + " frames");
            long received = reader.frames().stream().filter(frame -> frame.contains(tag)).count();
            assertEquals(count, received, "the reading client got every frame, in spite of the stuck one");
            assertTrue(reader.frames().stream().noneMatch(frame -> frame.startsWith("{\"type\":\"gap\"")), "the reader never fell behind");

            // the stuck client cannot read the close frame; the server forgets it, which /stats shows
            awaitConnected(1);
        }
    }

    /** Paces the publisher: the rate is part of the test, not a wait for an outcome. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The client printed in the reference document, verbatim but for its address, run by Debian's python3. */
    @Test
    void the_reference_documents_python_client_prints_what_is_published() throws Exception {
        assumeTrue(new File("/usr/bin/python3").canExecute()
                        && new ProcessBuilder("/usr/bin/python3", "-c", "import websockets").start().waitFor() == 0,
                "needs Debian's python3-websockets (.ci/run installs it)");
        String client = String.join("\n",
                "import asyncio",
                "import websockets",
                "async def listen():",
                "    uri = \"ws://127.0.0.1:" + owned.feedPort() + "\"",
                "    async with websockets.connect(uri) as websocket:",
                "        while True:",
                "            message = await websocket.recv()",
                "            print(\"Received:\", message, flush=True)",
                "asyncio.run(listen())");
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", client).redirectErrorStream(true).start();
        try {
            awaitConnected(1);
            String text = "{\"from\": \"redis-cli\", \"n\": 1}  " + Messages.uniqueSubject("python");
            queue.publish(owned.queueName(), text);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream()))) {
                CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return lines.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                assertEquals("Received: " + text, line.get(10, TimeUnit.SECONDS));
            }
        } finally {
            python.destroyForcibly().waitFor();
        }
        awaitConnected(0);
    }

    private void awaitConnected(int clients) {
        await(SOON, () -> api.get("/stats").json().path("feed").path("clients").asInt() == clients,
                clients + " feed client(s) connected");
    }

    private static Set<String> persistedIds(List<String> frames) {
        Set<String> ids = new HashSet<>();
        for (String frame : frames) {
            JsonNode event = Json.parse(frame);
            if (event.path("type").asText().equals("batch_persisted")) {
                event.path("ids").forEach(id -> ids.add(id.asText()));
            }
        }
        return ids;
    }

    private static int indexOf(List<JsonNode> events, String type, String uuid) {
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (!event.path("type").asText().equals(type)) {
                continue;
            }
            boolean names = type.equals("message")
                    ? event.path("message").path("message_uuid").asText().equals(uuid)
                    : event.path("ids").toString().contains(uuid);
            if (names) {
                return i;
            }
        }
        return -1;
    }

    private static Set<String> uuids(ObjectNode... messages) {
        Set<String> ids = new HashSet<>();
        for (ObjectNode message : messages) {
            ids.add(message.get("message_uuid").asText());
        }
        return ids;
    }

    /** The uuids of the messages a client received, from either stream's frames. */
    private static Set<String> received(FeedClient client) {
        Set<String> ids = new HashSet<>();
        for (String frame : client.frames()) {
            JsonNode node = Json.parse(frame);
            JsonNode message = node.has("message") ? node.get("message") : node;
            if (message.has("message_uuid")) {
                ids.add(message.get("message_uuid").asText());
            }
        }
        return ids;
    }
}
