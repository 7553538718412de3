package routes.drain;

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

    /**
     * Parses an entry into a {@link QueuedMessage}, or a {@link DeadLetter} saying why it can never be stored.
     * An entry that left its uuid or origin_ts to us is rewritten on the processing list first, so a crash
     * replays the very same row.
     */
    public Object read(String entry) {
        MessageParser.ParsedEntry parsed;
        try {
            parsed = parser.parseEntry(entry);
        } catch (ClientErrorException invalid) {
            return deadLetters.fromInvalidEntry(entry, invalid);
        }
        if (parsed.identified()) {
            return new QueuedMessage(entry, parsed.message());
        }
        String completed = json.write(parsed.message());
        queue.replaceClaimed(entry, completed);
        return new QueuedMessage(completed, parsed.message());
    }
}
