package routes.drain;

import routes.model.LoggedMessage;
import routes.model.QueueEntry;

/**
 * A message claimed from the list, with the entry that acknowledges it. {@code asWritten}: the entry's own text
 * when it is the message's row for the bulk insert as it stands (see MessageParser.ParsedEntry), else null.
 */
public record QueuedMessage(QueueEntry entry, LoggedMessage message, String asWritten) {
}
