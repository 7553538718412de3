package routes.store;

import java.util.ArrayList;
import java.util.List;

import routes.drain.QueuedMessage;
import routes.model.QueueEntry;

/** Messages gathered by the aggregator for one bulk insert. */
public final class MessageBatch {

    private final long startedAtMillis;
    private final List<QueuedMessage> messages = new ArrayList<>();

    public MessageBatch(long startedAtMillis) {
        this.startedAtMillis = startedAtMillis;
    }

    public void add(QueuedMessage message) {
        messages.add(message);
    }

    public void addAll(List<QueuedMessage> more) {
        messages.addAll(more);
    }

    /** When the first message joined: the batch is written batch.interval after that at the latest. */
    public long startedAtMillis() {
        return startedAtMillis;
    }

    public List<QueuedMessage> messages() {
        return messages;
    }

    public List<QueueEntry> getEntries() {
        return messages.stream().map(QueuedMessage::entry).toList();
    }

    public int getSize() {
        return messages.size();
    }

    /** The batch cut in two, to find the messages the database refuses without losing the others. */
    public List<MessageBatch> getHalves() {
        int middle = messages.size() / 2;
        MessageBatch first = new MessageBatch(startedAtMillis);
        MessageBatch second = new MessageBatch(startedAtMillis);
        messages.subList(0, middle).forEach(first::add);
        messages.subList(middle, messages.size()).forEach(second::add);
        return List.of(first, second);
    }
}
