package routes.drain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import routes.deadletters.DeadLetter;
import routes.deadletters.DeadLetters;
import routes.ingest.MessageParser;
import routes.model.ClientErrorException;
import routes.model.MessageJson;
import routes.model.QueueEntry;
import routes.observe.PipelineMetrics;

/**
 * Reads claimed list entries with the same rules as POST /messages. Whatever one entry holds, reading it ends in
 * a message to store or a dead letter saying why: a failure while reading one entry is that entry's alone, never
 * its claim's, and an entry taken too often without ending is ended here.
 */
public final class QueuedMessages {

    private final MessageParser parser;
    private final MessageJson json;
    private final RedisMessageQueue queue;
    private final DeadLetters deadLetters;
    private final PipelineMetrics metrics;
    private final int maxEntryBytes;
    private final int maxAttempts;

    public QueuedMessages(MessageParser parser, MessageJson json, RedisMessageQueue queue, DeadLetters deadLetters,
                          PipelineMetrics metrics, int maxEntryBytes, int maxAttempts) {
        this.parser = parser;
        this.json = json;
        this.queue = queue;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.maxEntryBytes = maxEntryBytes;
        this.maxAttempts = maxAttempts;
    }

    /** Each entry of one claim, in order, as a message to store or a dead letter saying why it never can be. */
    public ClaimedEntries read(List<QueueEntry> entries) {
        List<QueuedMessage> messages = new ArrayList<>(entries.size());
        List<DeadLetter> rejected = new ArrayList<>(0);
        for (QueueEntry entry : entries) {
            MessageParser.ParsedEntry parsed;
            try {
                if (entry.attempts() >= maxAttempts) {
                    rejected.add(deadLetters.keptFailing(entry, maxAttempts));
                    continue;
                }
                if (entry.size() > maxEntryBytes) {
                    rejected.add(deadLetters.tooLarge(entry, maxEntryBytes));
                    continue;
                }
                parsed = parser.parseEntry(entry.bytes());
            } catch (ClientErrorException invalid) {
                rejected.add(deadLetters.fromInvalidEntry(entry, invalid));
                continue;
            } catch (RuntimeException | StackOverflowError unreadable) {
                metrics.unreadable(unreadable.getClass().getSimpleName());
                rejected.add(deadLetters.fromUnreadableEntry(entry, unreadable));
                continue;
            }
            messages.add(queued(entry, parsed));
        }
        return new ClaimedEntries(messages, rejected);
    }

    private static boolean startsWithByteOrderMark(QueueEntry entry) {
        byte[] bytes = entry.bytes();
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /**
     * An entry that left its uuid or origin_ts to us is rewritten on the processing list first, so a crash
     * replays the very same row. (Outside the entry's own failure handling: Redis failing here fails the claim.)
     */
    private QueuedMessage queued(QueueEntry entry, MessageParser.ParsedEntry parsed) {
        if (parsed.identified()) {
            // a byte order mark is no part of the JSON (the parser skips it), and PostgreSQL refuses it
            return new QueuedMessage(entry, parsed.message(), parsed.storableAsWritten() && !startsWithByteOrderMark(entry)
                    ? new String(entry.bytes(), StandardCharsets.UTF_8) : null);
        }
        // written in the reference shape, with ISO-8601 UTC timestamps: the database reads it as we do
        String completed = json.write(parsed.message());
        return new QueuedMessage(queue.replaceClaimed(entry, completed), parsed.message(), completed);
    }
}
