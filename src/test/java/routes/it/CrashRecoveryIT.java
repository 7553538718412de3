package routes.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.Response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static routes.support.Await.await;
import static routes.support.Await.awaitValue;

/**
 * A drain killed with SIGKILL (no shutdown hook, no flush) loses nothing and stores nothing twice: its claims
 * wait on its processing list until it restarts under the same instance id, or until another instance notices
 * that its heartbeat has stopped.
 */
class CrashRecoveryIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    @Test
    void survives_sigkill_mid_drain_and_stores_every_message_exactly_once() throws Exception {
        int total = 40_000;
        String instance = "crash-a";
        Map<String, String> settings = Map.of("BATCH_SIZE", "500", "BATCH_INTERVAL", "1000");
        fixture.push(QueuedMessageTexts.distinct(total));

        // two kills at different points: right after the first batches, then about half-way
        long killAtRows = 1;
        for (int round = 1; round <= 2; round++) {
            ServiceProcess service = fixture.start(instance, settings);
            long threshold = killAtRows;
            awaitValue(START, () -> {
                fixture.assertServicesRunning();
                return fixture.storedRows();
            }, rows -> rows >= threshold, service.name() + " stores at least " + threshold + " rows");
            service.kill();

            long rows = fixture.storedRows();
            long claimed = fixture.processingLength(instance);
            long waiting = fixture.queueLength();
            System.out.printf("kill %d of %s: %d rows stored, %d claimed on %s, %d waiting%n",
                    round, service.name(), rows, claimed, fixture.processingKey(instance), waiting);
            assertTrue(rows < total || claimed > 0, "kill " + round + " came too late to be mid-drain: " + rows
                    + " rows stored, " + claimed + " claimed");
            killAtRows = Math.max(rows + 1, total / 2);
        }

        fixture.start(instance, settings);
        ServiceFixture.StoredCounts stored = fixture.awaitSettled(SETTLE);

        assertEquals(total, stored.rows(), "rows in message_exchange");
        assertEquals(total, stored.distinctUuids(), "distinct message_uuid values");
        assertEquals(total, stored.distinctSeqs(), "distinct pushed messages (message_data.seq)");
        assertEquals(0, fixture.processingLength(instance), "entries left on " + fixture.processingKey(instance));
        assertEquals(0, fixture.deadLetters(), "dead letters");
    }

    @Test
    void recovers_the_claims_of_a_dead_instance() throws Exception {
        int total = 20_000;
        Map<String, String> settings = Map.of("BATCH_SIZE", "500", "BATCH_INTERVAL", "1000",
                "DRAIN_INSTANCE_TIMEOUT", "3000", "DRAIN_HEARTBEAT_INTERVAL", "1000");
        ServiceProcess survivor = fixture.start("live-b", settings);
        ServiceProcess doomed = fixture.start("dead-a", settings);
        survivor.awaitReady(START);
        doomed.awaitReady(START);

        fixture.push(QueuedMessageTexts.distinct(total));
        await(START, () -> {
            fixture.assertServicesRunning();
            return fixture.processingLength("dead-a") > 0 && fixture.storedRows() > 0;
        }, "dead-a holds claims once rows are being stored");
        doomed.kill();

        String orphanedKey = fixture.processingKey("dead-a");
        String heartbeatKey = fixture.aliveKey("dead-a");
        long orphaned = fixture.processingLength("dead-a");
        System.out.printf("killed %s: %d claimed on %s, %d rows stored%n", doomed.name(), orphaned, orphanedKey,
                fixture.storedRows());
        assertTrue(orphaned > 0, "dead-a should have died holding claims on " + orphanedKey);

        // live-b leaves the claims alone while dead-a's heartbeat key lives, then moves them back to the queue
        long killedAt = System.nanoTime();
        awaitValue(Duration.ofSeconds(30), () -> {
            fixture.assertServicesRunning();
            Response<Boolean> heartbeat;
            Response<Long> claimed;
            try (AbstractTransaction snapshot = fixture.redis().multi()) {
                heartbeat = snapshot.exists(heartbeatKey);
                claimed = snapshot.llen(orphanedKey);
                snapshot.exec();
            }
            if (claimed.get() == 0 && heartbeat.get()) {
                throw new AssertionError(orphanedKey + " was emptied while " + heartbeatKey + " still existed");
            }
            return claimed.get();
        }, claimed -> claimed == 0, "live-b hands back the claims on " + orphanedKey);
        System.out.printf("claims of dead-a handed back %d ms after the kill%n",
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis());

        ServiceFixture.StoredCounts stored = fixture.awaitSettled(SETTLE);
        assertEquals(total, stored.rows(), "rows in message_exchange");
        assertEquals(total, stored.distinctUuids(), "distinct message_uuid values");
        assertEquals(total, stored.distinctSeqs(), "distinct pushed messages (message_data.seq)");
        assertTrue(survivor.isAlive(), "live-b kept running");
        assertEquals(0, fixture.deadLetters(), "dead letters");
    }
}
