package routes.deadletters;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.drain.QueuedMessage;
import routes.model.ClientErrorException;
import routes.model.MessageJson;
import routes.model.QueueEntry;
import routes.model.UnicodeText;
import routes.observe.RepeatingProblemLog;
import routes.store.MessageBatch;

/** Describes why a message can never be stored, for the dead-letter route to keep it. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    public static final String KEPT_FAILING = "kept failing";
    public static final String TOO_LARGE = "entry too large";
    public static final String UNREADABLE = "unreadable entry";

    private final ObjectMapper mapper;
    private final Clock clock;

    public DeadLetters(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** A claimed list entry that failed validation. */
    public DeadLetter fromInvalidEntry(QueueEntry entry, ClientErrorException invalid) {
        return deadLetter(entry, null, invalid.error(), invalid.details(), invalid);
    }

    /** A claimed list entry whose reading failed in a way validation did not foresee: the entry's failure alone. */
    public DeadLetter fromUnreadableEntry(QueueEntry entry, Throwable failure) {
        return deadLetter(entry, null, UNREADABLE, List.of("reading it failed: " + failure), failure);
    }

    /** An entry taken maxAttempts times without ending as a row or a dead letter (given back, or recovered). */
    public DeadLetter keptFailing(QueueEntry entry, int maxAttempts) {
        return deadLetter(entry, null, KEPT_FAILING, List.of("taken " + (entry.attempts() + 1) + " times without being"
                + " stored or dead-lettered (drain.max-attempts = " + maxAttempts + "); not read again"), null);
    }

    public DeadLetter tooLarge(QueueEntry entry, int maxEntryBytes) {
        return deadLetter(entry, null, TOO_LARGE, List.of("the entry has " + entry.size() + " bytes, at most "
                + maxEntryBytes + " are read (http.max-body-size)"), null);
    }

    /** A batch of one message that the database refused for good (see isolate-rejected in routes.yaml). */
    public DeadLetter fromRejectedBatch(MessageBatch batch, Exception cause) {
        QueuedMessage message = batch.messages().get(0);
        if (cause instanceof ClientErrorException invalid) {
            return deadLetter(message.entry(), message.message().messageUuid(), invalid.error(), invalid.details(), invalid);
        }
        return deadLetter(message.entry(), message.message().messageUuid(), "rejected by the database",
                List.of(String.valueOf(rootMessage(cause))), cause);
    }

    private DeadLetter deadLetter(QueueEntry entry, UUID uuid, String reason, List<String> details, Throwable cause) {
        // one line a minute per reason: every dead letter is a row of its own, with its details
        RepeatingProblemLog.of(LOG).warn(reason, "Dead-lettering a message (" + reason + "): " + String.join("; ", details));
        return new DeadLetter(key(uuid, entry.bytes()), entry.bytes(), reason, details,
                cause == null ? null : cause.getClass().getName(), "list", uuid,
                Instant.now(clock).truncatedTo(ChronoUnit.MICROS), List.of(entry));
    }

    /**
     * What makes a dead letter the same one: the message's uuid when it has one (a replay that fails again counts
     * one more attempt), otherwise the SHA-256 of the bytes (the same entry recovered after a crash).
     */
    static String key(UUID uuid, byte[] payload) {
        if (uuid != null) {
            return "uuid:" + uuid;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single parameter of insert-dead-letter.sql. */
    public String toJson(DeadLetter deadLetter) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("entry_key", deadLetter.key());
        row.put("payload_base64", Base64.getEncoder().encodeToString(deadLetter.payload()));
        row.put("payload", storableText(deadLetter.payload()));
        row.put("reason", deadLetter.reason());
        row.put("details", deadLetter.details().stream().map(UnicodeText::printable).toList());
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

    /** The payload as text when it is UTF-8 that PostgreSQL's text holds (no NUL), else null: the bytes say it all. */
    static String storableText(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            return text.indexOf('\u0000') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
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
