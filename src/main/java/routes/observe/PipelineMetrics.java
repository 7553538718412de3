package routes.observe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.LoggerFactory;

import routes.drain.QueuedMessage;
import routes.drain.RedisMessageQueue;
import routes.store.MessageBatch;

/**
 * The pipeline's own metrics, beside Camel's per-route ones on the same Prometheus registry: messages accepted,
 * persisted and dead-lettered; queue depth and in-flight; batch size, batch write time and the latency from a
 * message's origin_ts to the commit that stored it; entries that could not be read and claims that failed. It also
 * tells {@link DrainStall} of progress and of failing entries.
 */
public final class PipelineMetrics {

    /** Seconds over which ingest and persist rates are averaged. */
    public static final int RATE_WINDOW_SECONDS = 10;

    private final Counter accepted;
    private final Counter persisted;
    private final Counter deadLettered;
    private final Counter unreadable;
    private final Counter claimsFailed;
    private final DistributionSummary batchSize;
    private final Timer batchWrite;
    private final Timer persistLatency;
    private final RateWindow acceptedRate;
    private final RateWindow persistedRate;
    private final DrainStall stall;
    private volatile LastBatch lastBatch;

    /** The most recent batch write: when it committed, how many messages, how long the write took. */
    public record LastBatch(long atMillis, int size, long durationMillis) {
    }

    public PipelineMetrics(MeterRegistry registry, RedisMessageQueue queue, DrainStall stall) {
        this.stall = stall;
        long now = System.currentTimeMillis();
        acceptedRate = new RateWindow(RATE_WINDOW_SECONDS, now);
        persistedRate = new RateWindow(RATE_WINDOW_SECONDS, now);
        accepted = Counter.builder("message_logger_accepted").description("Messages accepted by POST /messages")
                .register(registry);
        persisted = Counter.builder("message_logger_persisted").description("Messages written to message_exchange")
                .register(registry);
        deadLettered = Counter.builder("message_logger_dead_lettered").description("Messages kept as dead letters")
                .register(registry);
        unreadable = Counter.builder("message_logger_entries_unreadable")
                .description("Claimed list entries that failed reading").register(registry);
        claimsFailed = Counter.builder("message_logger_claims_failed")
                .description("Claims that failed in the drain route and went back on the queue").register(registry);
        Gauge.builder("message_logger_queue_depth", queue, PipelineMetrics::waitingOrNaN)
                .description("Messages waiting on the Redis list").register(registry);
        Gauge.builder("message_logger_in_flight", queue, RedisMessageQueue::inFlight)
                .description("Messages claimed by this instance and not yet committed").register(registry);
        batchSize = DistributionSummary.builder("message_logger_batch_size").description("Messages per batch write")
                .publishPercentileHistogram().register(registry);
        batchWrite = Timer.builder("message_logger_batch_write").description("Time of one bulk insert and its acknowledgement")
                .publishPercentileHistogram().register(registry);
        persistLatency = Timer.builder("message_logger_persist_latency").description("From a message's origin_ts to its commit")
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    /** Epoch millis, to time a batch write from routes.yaml. */
    public long now() {
        return System.currentTimeMillis();
    }

    public void accepted(int count) {
        accepted.increment(count);
        acceptedRate.add(count, System.currentTimeMillis());
    }

    /**
     * After a batch has committed; {@code writeStartedAt} is epoch millis taken just before the insert. Never
     * throws: a metric must not turn a stored batch into a failed one.
     */
    public void persisted(MessageBatch batch, long writeStartedAt) {
        stall.progressed();
        try {
            record(batch, writeStartedAt);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(PipelineMetrics.class).debug("Could not record batch metrics", e);
        }
    }

    private void record(MessageBatch batch, long writeStartedAt) {
        long now = System.currentTimeMillis();
        long duration = Math.max(0, now - writeStartedAt);
        persisted.increment(batch.getSize());
        persistedRate.add(batch.getSize(), now);
        batchSize.record(batch.getSize());
        batchWrite.record(duration, TimeUnit.MILLISECONDS);
        lastBatch = new LastBatch(now, batch.getSize(), duration);
        for (QueuedMessage message : batch.messages()) {
            // in milliseconds: a message centuries old would overflow a Duration in nanoseconds
            long latencyMillis = now - message.message().originTs().toEpochMilli();
            if (latencyMillis >= 0) {
                persistLatency.record(latencyMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    public void deadLettered() {
        stall.progressed();
        deadLettered.increment();
    }

    /** One claimed entry failed reading; {@code problem} is a short reason text. */
    public void unreadable(String problem) {
        unreadable.increment();
        stall.entriesFailing(problem);
    }

    /** A whole claim failed in the drain route and went back on the queue. */
    public void claimFailed(Throwable cause) {
        claimsFailed.increment();
        stall.entriesFailing(RepeatingProblemLog.describe(cause));
    }

    public long acceptedCount() {
        return (long) accepted.count();
    }

    public long persistedCount() {
        return (long) persisted.count();
    }

    public long deadLetteredCount() {
        return (long) deadLettered.count();
    }

    public double acceptedPerSecond() {
        return acceptedRate.perSecond(System.currentTimeMillis());
    }

    public double persistedPerSecond() {
        return persistedRate.perSecond(System.currentTimeMillis());
    }

    public long batchesWritten() {
        return batchSize.count();
    }

    public double meanBatchSize() {
        return batchSize.count() == 0 ? 0 : batchSize.mean();
    }

    /** Null until the first batch is written. */
    public LastBatch lastBatch() {
        return lastBatch;
    }

    private static double waitingOrNaN(RedisMessageQueue queue) {
        try {
            return queue.waiting();
        } catch (RuntimeException redisUnreachable) {
            return Double.NaN;
        }
    }
}
