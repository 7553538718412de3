package routes.drain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.model.ClientErrorException;
import routes.model.MessageJson;
import routes.store.MessageBatch;

/** Keeps what can never be stored on {@code <queue>:dead}, as the raw payload plus the reason. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final RedisMessageQueue queue;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DeadLetters(RedisMessageQueue queue, ObjectMapper mapper, Clock clock) {
        this.queue = queue;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A claimed list entry that failed validation. */
    public void rejectEntry(String entry, Exception cause) {
        queue.deadLetter(entry, record(entry, cause, "list"));
        LOG.warn("Dead-lettered a queued message onto {}: {}", queue.deadLetterKey(), cause.getMessage());
    }

    /** A batch the database refused for good. */
    public void rejectBatch(MessageBatch batch, Exception cause) {
        for (String entry : batch.getEntries()) {
            queue.deadLetter(entry, record(entry, cause, "list"));
        }
        LOG.warn("Dead-lettered a batch of {} onto {}: {}", batch.getSize(), queue.deadLetterKey(), cause.getMessage());
    }

    String record(String payload, Exception cause, String source) {
        Map<String, Object> record = new LinkedHashMap<>();
        if (cause instanceof ClientErrorException invalid) {
            record.put("reason", invalid.error());
            record.put("details", invalid.details());
        } else {
            record.put("reason", "rejected by the database");
            record.put("details", List.of(String.valueOf(cause.getMessage())));
        }
        record.put("error", cause.getClass().getSimpleName());
        record.put("payload", payload);
        record.put("source", source);
        record.put("failed_at", MessageJson.timestamp(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS)));
        record.put("attempts", 1);
        try {
            return mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
