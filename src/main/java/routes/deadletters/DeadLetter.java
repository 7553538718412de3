package routes.deadletters;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import routes.model.QueueEntry;

/**
 * A message that can never be stored, on its way to message_dead_letter. {@code payload} holds the bytes as
 * received; {@code key} makes keeping it idempotent (the same entry recovered after a crash is the same dead
 * letter). {@code entries} are the claims it settles on the Redis processing list (none for a failed replay,
 * which was never claimed).
 */
public record DeadLetter(String key, byte[] payload, String reason, List<String> details, String error, String source,
                         UUID messageUuid, Instant failedAt, List<QueueEntry> entries) {

    /** For routes.yaml: the claims to acknowledge once the dead letter is stored. */
    public List<QueueEntry> getEntries() {
        return entries;
    }
}
