package routes.drain;

import routes.model.LoggedMessage;

/** A message claimed from the list, with the exact entry text that acknowledges it. */
public record QueuedMessage(String entry, LoggedMessage message) {
}
