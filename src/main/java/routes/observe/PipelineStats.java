package routes.observe;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.drain.RedisMessageQueue;
import routes.feed.FeedClients;
import routes.model.MessageJson;

/**
 * GET /stats and the feed's stats events: what this instance accepted, persisted and dead-lettered since it
 * started, its ingest and persist rates, the unified queue depth across all instances (waiting on the list +
 * claimed and not yet committed), batches written, connected feed clients, and whether the drain is stalled
 * ({@link DrainStall}, judged on the same depth). One Redis round trip.
 */
public final class PipelineStats {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineStats.class);

    private final JsonFactory json;
    private final PipelineMetrics metrics;
    private final DrainStall stall;
    private final RedisMessageQueue queue;
    private final FeedClients feed;
    private final int feedPort;
    private final String eventsPath;
    private final long startedMillis = System.currentTimeMillis();

    public PipelineStats(JsonFactory json, PipelineMetrics metrics, DrainStall stall, RedisMessageQueue queue,
                         FeedClients feed, int feedPort, String eventsPath) {
        this.json = json;
        this.metrics = metrics;
        this.stall = stall;
        this.queue = queue;
        this.feed = feed;
        this.feedPort = feedPort;
        this.eventsPath = eventsPath;
    }

    /** The body of GET /stats. */
    public String snapshot() {
        return render(false);
    }

    /** The same, as a {@code {"type":"stats",...}} feed event. */
    public String event() {
        return render(true);
    }

    private String render(boolean event) {
        RedisMessageQueue.Depth depth = depth();
        DrainStall.Status drain = stall.observe(depth == null ? null : depth.total());
        long now = System.currentTimeMillis();
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            if (event) {
                g.writeStringField("type", "stats");
            }
            g.writeStringField("timestamp", MessageJson.timestamp(Instant.ofEpochMilli(now)));
            g.writeStringField("instance", queue.instanceId());
            g.writeNumberField("uptime_seconds", (now - startedMillis) / 1000);

            g.writeObjectFieldStart("messages");
            g.writeNumberField("accepted", metrics.acceptedCount());
            g.writeNumberField("persisted", metrics.persistedCount());
            g.writeNumberField("dead_lettered", metrics.deadLetteredCount());
            g.writeEndObject();

            g.writeObjectFieldStart("rates");
            g.writeNumberField("window_seconds", PipelineMetrics.RATE_WINDOW_SECONDS);
            g.writeNumberField("ingest_per_second", round(metrics.acceptedPerSecond()));
            g.writeNumberField("persist_per_second", round(metrics.persistedPerSecond()));
            g.writeEndObject();

            g.writeObjectFieldStart("queue");
            writeCount(g, "depth", depth == null ? null : depth.total());
            writeCount(g, "waiting", depth == null ? null : depth.waiting());
            writeCount(g, "in_flight", depth == null ? null : depth.inFlight());
            g.writeEndObject();

            g.writeObjectFieldStart("drain");
            g.writeStringField("state", drain.state().text());
            g.writeNumberField("stalled_for_seconds", drain.stalled() ? drain.quietFor().toSeconds() : 0);
            g.writeStringField("reason", drain.reason());
            g.writeStringField("problem", drain.problem());
            g.writeStringField("last_progress", MessageJson.timestamp(drain.lastProgress()));
            g.writeEndObject();

            g.writeObjectFieldStart("batches");
            g.writeNumberField("written", metrics.batchesWritten());
            g.writeNumberField("mean_size", round(metrics.meanBatchSize()));
            PipelineMetrics.LastBatch last = metrics.lastBatch();
            if (last == null) {
                g.writeNullField("last_write");
            } else {
                g.writeObjectFieldStart("last_write");
                g.writeStringField("at", MessageJson.timestamp(Instant.ofEpochMilli(last.atMillis())));
                g.writeNumberField("size", last.size());
                g.writeNumberField("duration_ms", last.durationMillis());
                g.writeEndObject();
            }
            g.writeEndObject();

            g.writeObjectFieldStart("feed");
            g.writeNumberField("clients", feed.count());
            g.writeNumberField("port", feedPort);
            g.writeStringField("events_path", eventsPath);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Null while Redis cannot be reached: the other figures are still worth showing. */
    private RedisMessageQueue.Depth depth() {
        try {
            return queue.depth();
        } catch (RuntimeException e) {
            LOG.debug("Queue depth unavailable", e);
            return null;
        }
    }

    private static void writeCount(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
