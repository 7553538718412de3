package routes.it;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import routes.support.ApiClient;
import routes.support.ApiResponse;
import routes.support.FeedClient;
import routes.support.Json;
import routes.support.Messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static routes.support.Await.awaitValue;

/**
 * Several instances may drain the same queue: each message is claimed by exactly one of them. Every instance
 * subscribes to the feed channels, so a feed client of any instance sees every message and every batch.
 */
class SharedQueueIT {

    private static final Duration START = Duration.ofSeconds(60);

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    @Test
    void two_instances_drain_one_queue_exactly_once() throws Exception {
        int total = 30_000;
        Map<String, String> settings = Map.of("BATCH_SIZE", "500", "BATCH_INTERVAL", "1000");
        ServiceProcess first = fixture.start("share-a", settings);
        ServiceProcess second = fixture.start("share-b", settings);
        first.awaitReady(START);
        second.awaitReady(START);

        ServiceFixture.StoredCounts stored;
        try (ClaimSampler claims = new ClaimSampler(fixture.redis(),
                List.of(fixture.processingKey("share-a"), fixture.processingKey("share-b")))) {
            // in waves, so both instances are claiming while messages still arrive
            List<String> messages = QueuedMessageTexts.distinct(total);
            for (int from = 0; from < total; from += 3_000) {
                fixture.push(messages.subList(from, Math.min(from + 3_000, total)));
            }
            stored = fixture.awaitSettled(Duration.ofSeconds(90));
            System.out.println("two instances: " + claims);

            assertTrue(claims.largestSeen(fixture.processingKey("share-a")) > 0, "share-a never held a claim; " + claims);
            assertTrue(claims.largestSeen(fixture.processingKey("share-b")) > 0, "share-b never held a claim; " + claims);
        }
        assertEquals(total, stored.rows(), "rows in message_exchange");
        assertEquals(total, stored.distinctUuids(), "distinct message_uuid values");
        assertEquals(total, stored.distinctSeqs(), "distinct pushed messages (message_data.seq)");
        assertEquals(0, fixture.deadLetters(), "dead letters");
    }

    @Test
    void a_feed_client_of_one_instance_sees_what_the_other_accepts_and_persists() throws Exception {
        Map<String, String> settings = Map.of("BATCH_SIZE", "20", "BATCH_INTERVAL", "300");
        ServiceProcess first = fixture.start("feed-a", settings);
        ServiceProcess second = fixture.start("feed-b", settings);
        first.awaitReady(START);
        second.awaitReady(START);

        try (FeedClient onSecond = FeedClient.connect(second.feedPort(), "/events")) {
            ArrayNode array = Json.array();
            for (int i = 0; i < 50; i++) {
                array.add(Messages.minimal(Messages.uniqueSubject("shared-feed"), "r"));
            }
            ApiResponse accepted = new ApiClient(first.httpPort()).postMessages(Json.write(array));
            assertEquals(202, accepted.status(), accepted::toString);
            Set<String> uuids = new HashSet<>();
            accepted.json().path("message_uuids").forEach(id -> uuids.add(id.asText()));

            awaitValue(Duration.ofSeconds(20), () -> idsIn(onSecond.frames(), "message"), ids -> ids.containsAll(uuids),
                    "message events on feed-b for what feed-a accepted");
            awaitValue(Duration.ofSeconds(20), () -> idsIn(onSecond.frames(), "batch_persisted"), ids -> ids.containsAll(uuids),
                    "batch_persisted events on feed-b naming every message, whichever instance stored it");
        }
    }

    private static Set<String> idsIn(List<String> frames, String type) {
        Set<String> ids = new HashSet<>();
        for (String frame : frames) {
            JsonNode event = Json.parse(frame);
            if (!event.path("type").asText().equals(type)) {
                continue;
            }
            if (type.equals("message")) {
                ids.add(event.path("message").path("message_uuid").asText());
            } else {
                event.path("ids").forEach(id -> ids.add(id.asText()));
            }
        }
        return ids;
    }
}
