package routes.it;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Messages in the reference JSON format, as another service would LPUSH them: each with its own message_uuid
 * and origin_ts, and a {@code seq} in message_data so the table can be checked for every one of them.
 */
final class QueuedMessageTexts {

    private static final Instant FIRST_ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

    private QueuedMessageTexts() {
    }

    static List<String> distinct(int count) {
        List<String> texts = new ArrayList<>(count);
        for (int seq = 0; seq < count; seq++) {
            texts.add(text(seq));
        }
        return texts;
    }

    static String text(int seq) {
        return "{\"message_uuid\":\"" + UUID.randomUUID() + "\""
                + ",\"origin_ts\":\"" + FIRST_ORIGIN.plusMillis(seq) + "\""
                + ",\"ack_ts\":null"
                + ",\"message_data\":{\"seq\":" + seq + ",\"text\":\"integration test message number " + seq + "\"}"
                + ",\"source_subject_id\":\"it-sender-" + (seq % 50) + "\""
                + ",\"destination_subject_ids\":[\"it-recipient-" + (seq % 7) + "\",\"it-recipient-" + (seq % 11) + "\"]"
                + ",\"topic\":\"it/drain\""
                + ",\"message_type\":\"it.message\""
                + ",\"message_metadata\":{\"producer\":\"routes.it\"}}";
    }
}
