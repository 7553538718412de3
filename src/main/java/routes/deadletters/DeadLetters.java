package routes.deadletters;

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

import routes.drain.QueuedMessage;
import routes.model.ClientErrorException;
import routes.model.MessageJson;
import routes.observe.RepeatingProblemLog;
import routes.store.MessageBatch;

/** Describes why a message can never be stored, for the dead-letter route to keep it. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final ObjectMapper mapper;
    private final Clock clock;

    public DeadLetters(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A claimed list entry that failed validation. */
    public DeadLetter fromInvalidEntry(String entry, Exception cause) {
        return deadLetter(entry, null, cause, "list", List.of(entry));
    }

    /** A batch of one message that the database refused for good (see isolate-rejected in routes.yaml). */
    public DeadLetter fromRejectedBatch(MessageBatch batch, Exception cause) {
        QueuedMessage message = batch.messages().get(0);
        return deadLetter(message.entry(), message.message().messageUuid(), cause, "list", List.of(message.entry()));
    }

    private DeadLetter deadLetter(String payload, java.util.UUID uuid, Exception cause, String source, List<String> entries) {
        String reason;
        List<String> details;
        if (cause instanceof ClientErrorException invalid) {
            reason = invalid.error();
            details = invalid.details();
        } else {
            reason = "rejected by the database";
            details = List.of(String.valueOf(rootMessage(cause)));
        }
        // one line a minute per reason: every dead letter is a row of its own, with its details
        RepeatingProblemLog.of(LOG).warn(reason, "Dead-lettering a message (" + reason + "): " + String.join("; ", details));
        // PostgreSQL text cannot hold NUL; keep the rest of the payload as received
        return new DeadLetter(payload.replace('\u0000', '\uFFFD'), reason, details,
                cause == null ? null : cause.getClass().getName(), source, uuid,
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS), entries);
    }

    /** The single parameter of insert-dead-letter.sql. */
    public String toJson(DeadLetter deadLetter) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("payload", deadLetter.payload());
        row.put("reason", deadLetter.reason());
        row.put("details", deadLetter.details().stream().map(d -> d.replace('\u0000', '\uFFFD')).toList());
        row.put("error", deadLetter.error());
        row.put("source", deadLetter.source());
        row.put("message_uuid", deadLetter.messageUuid() == null ? null : deadLetter.messageUuid().toString());
        row.put("failed_at", MessageJson.timestamp(deadLetter.failedAt()));
        try {
            return mapper.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "unknown" : root.getMessage();
    }
}
