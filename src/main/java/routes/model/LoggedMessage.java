package routes.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** One message exchange, as stored in message_exchange and returned by the query API. */
public record LoggedMessage(
        UUID messageUuid,
        Instant originTs,
        Instant ackTs,
        JsonNode messageData,
        String sourceSubjectId,
        List<String> destinationSubjectIds,
        String topic,
        String messageType,
        JsonNode messageMetadata) {
}
