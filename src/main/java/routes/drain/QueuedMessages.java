package routes.drain;

import routes.ingest.MessageParser;
import routes.model.MessageJson;

/** Reads claimed list entries with the same rules as POST /messages. */
public final class QueuedMessages {

    private final MessageParser parser;
    private final MessageJson json;
    private final RedisMessageQueue queue;

    public QueuedMessages(MessageParser parser, MessageJson json, RedisMessageQueue queue) {
        this.parser = parser;
        this.json = json;
        this.queue = queue;
    }

    /**
     * Parses an entry; throws ClientErrorException when it can never be stored. An entry that left its uuid or
     * origin_ts to us is rewritten on the processing list first, so a crash replays the very same row.
     */
    public QueuedMessage read(String entry) {
        MessageParser.ParsedEntry parsed = parser.parseEntry(entry);
        if (parsed.identified()) {
            return new QueuedMessage(entry, parsed.message());
        }
        String completed = json.write(parsed.message());
        queue.replaceClaimed(entry, completed);
        return new QueuedMessage(completed, parsed.message());
    }
}
