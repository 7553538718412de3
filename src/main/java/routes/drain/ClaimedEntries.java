package routes.drain;

import java.util.List;

import routes.deadletters.DeadLetter;

/**
 * One claim from the list, read: the messages to store, and the entries that can never be stored. A class, not
 * a record, and asked directly (isEmpty, hasDeadLetters): the simple language's bean cache hashes the object
 * a method is called on, and the hash of a record or a list walks every message of the claim (a third of the
 * drain thread's time when it did).
 */
public final class ClaimedEntries {

    private final List<QueuedMessage> messages;
    private final List<DeadLetter> deadLetters;

    public ClaimedEntries(List<QueuedMessage> messages, List<DeadLetter> deadLetters) {
        this.messages = messages;
        this.deadLetters = deadLetters;
    }

    public List<QueuedMessage> getMessages() {
        return messages;
    }

    public List<DeadLetter> getDeadLetters() {
        return deadLetters;
    }

    /** No message to store (every entry was a dead letter). */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public boolean hasDeadLetters() {
        return !deadLetters.isEmpty();
    }
}
