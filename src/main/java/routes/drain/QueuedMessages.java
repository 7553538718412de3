package routes.drain;

import java.util.ArrayList;
import java.util.List;

import routes.deadletters.DeadLetter;
import routes.deadletters.DeadLetters;
import routes.ingest.MessageParser;
import routes.model.ClientErrorException;
import routes.model.MessageJson;

/** Reads claimed list entries with the same rules as POST /messages. */
public final class QueuedMessages {

    private final MessageParser parser;
    private final MessageJson json;
    private final RedisMessageQueue queue;
    private final DeadLetters deadLetters;

    public QueuedMessages(MessageParser parser, MessageJson json, RedisMessageQueue queue, DeadLetters deadLetters) {
        this.parser = parser;
        this.json = json;
        this.queue = queue;
        this.deadLetters = deadLetters;
    }

    /** Each entry of one claim, in order, as a message to store or a dead letter saying why it never can be. */
    public ClaimedEntries read(List<String> entries) {
        List<QueuedMessage> messages = new ArrayList<>(entries.size());
        List<DeadLetter> rejected = new ArrayList<>(0);
        for (String entry : entries) {
            MessageParser.ParsedEntry parsed;
            try {
                parsed = parser.parseEntry(entry);
            } catch (ClientErrorException invalid) {
                rejected.add(deadLetters.fromInvalidEntry(entry, invalid));
                continue;
            }
            messages.add(queued(entry, parsed));
        }
        return new ClaimedEntries(messages, rejected);
    }

    /**
     * An entry that left its uuid or origin_ts to us is rewritten on the processing list first, so a crash
     * replays the very same row.
     */
    private QueuedMessage queued(String entry, MessageParser.ParsedEntry parsed) {
        if (parsed.identified()) {
            return new QueuedMessage(entry, parsed.message(), parsed.storableAsWritten());
        }
        // written in the reference shape, with ISO-8601 UTC timestamps: the database reads it as we do
        String completed = json.write(parsed.message());
        queue.replaceClaimed(entry, completed);
        return new QueuedMessage(completed, parsed.message(), true);
    }
}
