package routes.deadletters;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message that can never be stored, on its way to message_dead_letter. {@code entries} are the claims it
 * settles on the Redis processing list (none for a failed replay, which was never claimed).
 */
public record DeadLetter(String payload, String reason, List<String> details, String error, String source,
                         UUID messageUuid, Instant failedAt, List<String> entries) {

    /** For routes.yaml: the claims to acknowledge once the dead letter is stored. */
    public List<String> getEntries() {
        return entries;
    }
}
