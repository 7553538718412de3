package routes.drain;

import routes.model.LoggedMessage;

/**
 * A message claimed from the list, with the exact entry text that acknowledges it. {@code storableAsWritten}:
 * the entry text itself is the message's row for the bulk insert (see MessageParser.ParsedEntry).
 */
public record QueuedMessage(String entry, LoggedMessage message, boolean storableAsWritten) {
}
