package routes.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several instances may drain the same queue: each message is claimed by exactly one of them. */
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
}
