package routes.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static routes.support.Await.await;
import static routes.support.Await.staysTrueFor;

/**
 * SIGTERM stops the drain, writes the batch the aggregator still holds, acknowledges it, then exits. Batch size
 * and interval are set so that no batch ever completes by itself: whatever is stored was written by the shutdown.
 */
class GracefulShutdownIT {

    private static final int TOTAL = 300;
    private static final String INSTANCE = "term-a";
    // 10,000 is the largest batch.size the service accepts (100,000 is refused at start-up)
    private static final Map<String, String> NEVER_COMPLETES = Map.of("BATCH_SIZE", "10000", "BATCH_INTERVAL", "600000");

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    /** SIGTERM as soon as every message is claimed: the drain may still be reading the claims into the batch. */
    @Test
    void sigterm_writes_the_pending_batch() throws Exception {
        ServiceProcess service = fixture.start(INSTANCE, NEVER_COMPLETES).awaitReady(Duration.ofSeconds(60));
        fixture.push(QueuedMessageTexts.distinct(TOTAL));
        await(Duration.ofSeconds(30), () -> {
            fixture.assertServicesRunning();
            return fixture.queueLength() == 0 && fixture.processingLength(INSTANCE) == TOTAL;
        }, "all " + TOTAL + " messages are claimed by " + INSTANCE);

        terminateAndExpectEverythingStored(service);
    }

    /**
     * SIGTERM once every claimed message has joined the pending batch: all claimed, and drain-queue (one exchange
     * per claim) has completed exchanges and none in flight, steadily for 200 ms (JMX).
     */
    @Test
    void sigterm_writes_the_pending_batch_once_every_claim_has_joined_it() throws Exception {
        ServiceProcess service = fixture.start(INSTANCE, NEVER_COMPLETES).awaitReady(Duration.ofSeconds(60));
        fixture.push(QueuedMessageTexts.distinct(TOTAL));
        await(Duration.ofSeconds(30), () -> {
            fixture.assertServicesRunning();
            return staysTrueFor(Duration.ofMillis(200), () -> allClaimedAndAggregated(service));
        }, "all " + TOTAL + " messages are claimed and aggregated by " + INSTANCE);

        terminateAndExpectEverythingStored(service);
    }

    private boolean allClaimedAndAggregated(ServiceProcess service) throws Exception {
        return fixture.queueLength() == 0 && fixture.processingLength(INSTANCE) == TOTAL
                && service.routeStatistic("drain-queue", "ExchangesCompleted") > 0
                && service.routeStatistic("drain-queue", "ExchangesInflight") == 0;
    }

    private void terminateAndExpectEverythingStored(ServiceProcess service) throws Exception {
        assertEquals(0, fixture.storedRows(), "rows written before SIGTERM");

        long signalledAt = System.nanoTime();
        int exit = service.terminate(Duration.ofSeconds(45));
        System.out.printf("SIGTERM: %s exited with %d after %d ms%n", service.name(), exit,
                Duration.ofNanos(System.nanoTime() - signalledAt).toMillis());

        ServiceFixture.StoredCounts stored = fixture.stored();
        long leftClaimed = fixture.processingLength(INSTANCE);
        long backOnQueue = fixture.queueLength();
        assertAll("after SIGTERM (" + stored + ", " + leftClaimed + " left on " + fixture.processingKey(INSTANCE)
                        + ", " + backOnQueue + " back on the queue, exit " + exit + ")",
                () -> assertTrue(exit == 0 || exit == ServiceProcess.SIGTERM_EXIT, "exit code after SIGTERM: " + exit),
                () -> assertEquals(TOTAL, stored.rows(), "rows in message_exchange"),
                () -> assertEquals(TOTAL, stored.distinctUuids(), "distinct message_uuid values"),
                () -> assertEquals(0, leftClaimed, "entries left on " + fixture.processingKey(INSTANCE)),
                () -> assertEquals(0, backOnQueue, "entries back on the queue"));
    }
}
