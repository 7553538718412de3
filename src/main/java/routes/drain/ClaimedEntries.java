package routes.drain;

import java.util.List;

import routes.deadletters.DeadLetter;

/**
 * One claim from the list, read: the messages to store, and the entries that can never be stored. A class, not
 * a record: the route calls methods on it through the simple language, whose bean cache hashes the object, and
 * a record's hash would walk every message of the claim (a third of the drain thread's time when it was one).
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
}
