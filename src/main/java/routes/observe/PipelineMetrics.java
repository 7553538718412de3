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
 * message's origin_ts to the commit that stored it.
 */
public final class PipelineMetrics {

    private final Counter accepted;
    private final Counter persisted;
    private final Counter deadLettered;
    private final DistributionSummary batchSize;
    private final Timer batchWrite;
    private final Timer persistLatency;

    public PipelineMetrics(MeterRegistry registry, RedisMessageQueue queue) {
        accepted = Counter.builder("message_logger_accepted").description("Messages accepted by POST /messages")
                .register(registry);
        persisted = Counter.builder("message_logger_persisted").description("Messages written to message_exchange")
                .register(registry);
        deadLettered = Counter.builder("message_logger_dead_lettered").description("Messages kept as dead letters")
                .register(registry);
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
    }

    /**
     * After a batch has committed; {@code writeStartedAt} is epoch millis taken just before the insert. Never
     * throws: a metric must not turn a stored batch into a failed one.
     */
    public void persisted(MessageBatch batch, long writeStartedAt) {
        try {
            record(batch, writeStartedAt);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(PipelineMetrics.class).debug("Could not record batch metrics", e);
        }
    }

    private void record(MessageBatch batch, long writeStartedAt) {
        long now = System.currentTimeMillis();
        persisted.increment(batch.getSize());
        batchSize.record(batch.getSize());
        batchWrite.record(Math.max(0, now - writeStartedAt), TimeUnit.MILLISECONDS);
        for (QueuedMessage message : batch.messages()) {
            // in milliseconds: a message centuries old would overflow a Duration in nanoseconds
            long latencyMillis = now - message.message().originTs().toEpochMilli();
            if (latencyMillis >= 0) {
                persistLatency.record(latencyMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    private static double waitingOrNaN(RedisMessageQueue queue) {
        try {
            return queue.waiting();
        } catch (RuntimeException redisUnreachable) {
            return Double.NaN;
        }
    }
}
