package routes.drain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.model.QueueEntry;
import routes.observe.PipelineMetrics;
import routes.observe.RepeatingProblemLog;

/**
 * One thread that claims entries from the list and sends each claim through the route as one exchange (its
 * body the list of entry texts, oldest first), pausing while too many are claimed and not yet committed, and
 * backing off while Redis is unreachable. A claim takes no more than the open batch still holds (see
 * {@link OpenBatch}). When the route is suspended or stopped (JMX, SIGTERM), nothing enters the route after its
 * aggregator has flushed its last batch: a claim being sent is finished first (so it joins the batch written on
 * SIGTERM), a claim made after the pause began goes back.
 */
final class RedisQueueConsumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisQueueConsumer.class);
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private final RedisQueueEndpoint endpoint;
    private final RedisMessageQueue queue;
    private ExecutorService executor;
    /** Claimed entries still to go back to the queue, oldest first (only the drain's thread touches it). */
    private final Deque<QueueEntry> givingBack = new ArrayDeque<>();
    /** True while the loop may create exchanges; suspend and stop wait until it is false. */
    private volatile boolean sending;

    RedisQueueConsumer(RedisQueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.queue = endpoint.queue();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "redis-queue-" + queue.name());
        executor.submit(this::drain);
    }

    @Override
    protected void doSuspend() throws Exception {
        awaitNotSending();
        super.doSuspend();
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            executor.shutdown();
            // the loop finishes the entries it has claimed before it stops
            if (!executor.awaitTermination(endpoint.getWaitMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("Drain of {} did not stop in time; its claimed entries are recovered at the next start", queue.name());
            }
            executor = null;
        }
        super.doStop();
    }

    private void drain() {
        Duration wait = Duration.ofMillis(endpoint.getWaitMillis());
        long backoff = 100;
        boolean redisDown = false;
        boolean recovered = false;
        while (isRunAllowed()) {
            if (!giveBackPending()) {
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                continue;
            }
            if (pausing()) {
                pause(10);
                continue;
            }
            if (queue.inFlight() >= queue.maxInFlight()) {
                try {
                    queue.awaitRoom(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            List<QueueEntry> entries;
            int asked;
            try {
                if (!recovered) {
                    // entries a previous run of this instance claimed but never committed come first
                    queue.heartbeat();
                    queue.recoverOwn();
                    recovered = true;
                }
                int room = Math.min(queue.maxInFlight() - queue.inFlight(), endpoint.getOpenBatch().room());
                if (room <= 0) {
                    pause(1);
                    continue;
                }
                asked = Math.min(room, endpoint.getClaimSize());
                entries = queue.claim(asked, wait);
                if (redisDown) {
                    LOG.info("Redis is reachable again; draining {}", queue.name());
                    redisDown = false;
                }
                backoff = 100;
            } catch (RuntimeException e) {
                if (!redisDown) {
                    LOG.warn("Cannot claim from {} ({}); retrying with backoff", queue.name(), e.getMessage());
                    redisDown = true;
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                continue;
            }
            // flag first, then look: suspend and stop wait for a chunk being sent, and a chunk claimed once
            // they began goes back to the queue, so no exchange starts after the route has let go
            sending = true;
            try {
                if (pausing()) {
                    giveBack(entries);
                } else if (!entries.isEmpty()) {
                    process(entries);
                }
            } finally {
                sending = false;
            }
            if (!entries.isEmpty() && entries.size() < asked) {
                // the queue is (nearly) empty: let a trickle gather for a moment, so it is claimed in chunks
                // rather than one round trip and one exchange per message
                pause(endpoint.getTricklePauseMillis());
            }
        }
    }

    private boolean pausing() {
        return !isRunAllowed() || isSuspendingOrSuspended();
    }

    /**
     * Newest first, so the oldest ends up next in line again. What cannot go back now (Redis unreachable) is
     * given back before the next claim, so it neither waits for a restart nor stays counted in flight.
     */
    private void giveBack(List<QueueEntry> unsent) {
        for (int i = unsent.size() - 1; i >= 0; i--) {
            givingBack.addFirst(unsent.get(i));
        }
        giveBackPending();
    }

    /** True when nothing is left to give back. */
    private boolean giveBackPending() {
        while (!givingBack.isEmpty()) {
            try {
                queue.release(givingBack.peekLast());
            } catch (RuntimeException e) {
                LOG.warn("Could not give {} claimed entries back to {} ({}); trying again before the next claim",
                        givingBack.size(), queue.name(), e.getMessage());
                return false;
            }
            givingBack.pollLast();
        }
        return true;
    }

    private void awaitNotSending() {
        long deadline = System.currentTimeMillis() + 10_000;
        while (sending && System.currentTimeMillis() < deadline) {
            pause(5);
        }
    }

    private void process(List<QueueEntry> entries) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(entries);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            // a claim that fails every time is retried thousands of times a second: count each, log once a minute
            PipelineMetrics metrics = getEndpoint().getCamelContext().getRegistry()
                    .lookupByNameAndType("pipelineMetrics", PipelineMetrics.class);
            if (metrics != null) {
                metrics.claimFailed(failure);
            }
            RepeatingProblemLog.of(LOG).warn(RepeatingProblemLog.keyOf(failure),
                    "Claimed messages not taken; they go back on the queue: " + RepeatingProblemLog.describe(failure), failure);
            giveBack(entries);
        }
        releaseExchange(exchange, false);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
