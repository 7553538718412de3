package routes.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON for building requests and comparing messages the way a client would. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** The nine fields of the reference document, in its order. */
    public static final String[] MESSAGE_FIELDS = {"message_uuid", "origin_ts", "ack_ts", "message_data",
            "source_subject_id", "destination_subject_ids", "topic", "message_type", "message_metadata"};

    private Json() {
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An object's field names, in order. */
    public static java.util.List<String> fieldNames(JsonNode object) {
        java.util.List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /**
     * The message as the service should give it back: all nine fields (absent ones null) and both
     * timestamps as ISO-8601 UTC with 'Z', to the microsecond. Works on what was posted (offsets, epoch
     * seconds) and on what was returned alike, so the two compare with equals.
     */
    public static ObjectNode normalisedMessage(JsonNode message) {
        ObjectNode out = MAPPER.createObjectNode();
        for (String field : MESSAGE_FIELDS) {
            JsonNode value = message.get(field);
            if (value == null || value.isNull()) {
                out.putNull(field);
            } else if (field.endsWith("_ts")) {
                out.put(field, isoUtc(value).toString());
            } else if (field.equals("message_uuid")) {
                out.put(field, value.asText().toLowerCase());
            } else {
                out.set(field, value);
            }
        }
        return out;
    }

    /** A timestamp as the service accepts it: ISO-8601 with an offset, or (fractional) epoch seconds. */
    public static Instant isoUtc(JsonNode timestamp) {
        Instant instant;
        if (timestamp.isNumber()) {
            BigDecimal seconds = timestamp.decimalValue();
            instant = Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        } else {
            instant = OffsetDateTime.parse(timestamp.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
