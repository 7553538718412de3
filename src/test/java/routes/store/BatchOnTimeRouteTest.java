package routes.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;

/**
 * A batch is written batch.interval after its FIRST message arrived, however fast more keep coming: the deadline
 * is fixed by the first message, not reset by each arrival (an inactivity timeout would never fire here).
 */
@CamelMainTest(properties = {
        // the largest batch.size allowed: size never completes a batch here
        "batch.size=10000",
        "batch.interval=1000"
})
class BatchOnTimeRouteTest extends RouteTestSupport {

    private static final int MESSAGES = 40;
    private static final long EVERY_MILLIS = 100;

    @Test
    void writes_a_batch_when_its_first_message_has_waited_batch_interval_while_messages_keep_trickling_in() throws Exception {
        // the first exchange after start-up pays for class loading and JIT warm-up; this test is about the deadline
        String warmUp = Messages.uniqueSubject("warm-up");
        queue.push(Json.write(Messages.complete(warmUp, "r")));
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", warmUp) == 1, "the warm-up message is stored");

        String sender = Messages.uniqueSubject("sender");
        List<ObjectNode> messages = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            messages.add(Messages.complete(sender, "r" + i));
        }
        UUID first = UUID.fromString(messages.get(0).get("message_uuid").asText());
        AtomicInteger pushed = new AtomicInteger();
        AtomicLong firstPushedAt = new AtomicLong();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            trickle.scheduleAtFixedRate(() -> {
                int n = pushed.get();
                if (n >= MESSAGES) {
                    return;
                }
                if (n == 0) {
                    firstPushedAt.set(System.nanoTime());
                }
                queue.push(Json.write(messages.get(n)));
                pushed.incrementAndGet();
            }, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);

            await(Duration.ofSeconds(3), () -> table.countByUuid(first) == 1,
                    "the first message is stored while messages still arrive");
            long firstStoredAfter = (System.nanoTime() - firstPushedAt.get()) / 1_000_000;
            int pushedByThen = pushed.get();

            assertTrue(firstStoredAfter <= 1500, "the first message is stored " + firstStoredAfter
                    + " ms after it was pushed; batch.interval is 1000 ms");
            assertTrue(firstStoredAfter >= 900, "the batch waited its interval (" + firstStoredAfter + " ms), it was not written at once");
            assertTrue(pushedByThen < MESSAGES, "the trickle was still going (" + pushedByThen + " of " + MESSAGES + " pushed)");

            await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) == MESSAGES,
                    "every message of the trickle is stored");
        } finally {
            trickle.shutdownNow();
            trickle.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
