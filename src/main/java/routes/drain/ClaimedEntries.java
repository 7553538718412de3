package routes.drain;

import java.util.List;

import routes.deadletters.DeadLetter;

/** One claim from the list, read: the messages to store, and the entries that can never be stored. */
public record ClaimedEntries(List<QueuedMessage> messages, List<DeadLetter> deadLetters) {
}
