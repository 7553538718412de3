package routes.model;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Writes messages in the reference JSON shape: the nine fields in order, timestamps as ISO-8601 UTC
 * (fractions only when present), absent values as null. The same text goes onto the Redis list, to the
 * feed and out of GET /messages/{uuid}.
 */
public final class MessageJson {

    public static final String MESSAGE_UUID = "message_uuid";
    public static final String ORIGIN_TS = "origin_ts";
    public static final String ACK_TS = "ack_ts";
    public static final String MESSAGE_DATA = "message_data";
    public static final String SOURCE_SUBJECT_ID = "source_subject_id";
    public static final String DESTINATION_SUBJECT_IDS = "destination_subject_ids";
    public static final String TOPIC = "topic";
    public static final String MESSAGE_TYPE = "message_type";
    public static final String MESSAGE_METADATA = "message_metadata";

    private final ObjectMapper mapper;
    private final JsonFactory factory;

    public MessageJson(ObjectMapper mapper) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
    }

    /**
     * The mapper every message is read and written with. Numbers stay exact (decimals as BigDecimal with their
     * trailing zeros, not doubles: jsonb keeps arbitrary precision, so 1e400 must not become Infinity); an object
     * with the same key twice is refused rather than silently keeping one; trailing content is refused.
     */
    public static ObjectMapper newMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
        return mapper;
    }

    public static String timestamp(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    public String write(LoggedMessage message) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
            write(json, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public void write(JsonGenerator json, LoggedMessage m) throws IOException {
        json.writeStartObject();
        json.writeStringField(MESSAGE_UUID, m.messageUuid().toString());
        json.writeStringField(ORIGIN_TS, timestamp(m.originTs()));
        json.writeStringField(ACK_TS, timestamp(m.ackTs()));
        json.writeFieldName(MESSAGE_DATA);
        mapper.writeTree(json, m.messageData());
        json.writeStringField(SOURCE_SUBJECT_ID, m.sourceSubjectId());
        json.writeArrayFieldStart(DESTINATION_SUBJECT_IDS);
        for (String recipient : m.destinationSubjectIds()) {
            json.writeString(recipient);
        }
        json.writeEndArray();
        json.writeStringField(TOPIC, m.topic());
        json.writeStringField(MESSAGE_TYPE, m.messageType());
        json.writeFieldName(MESSAGE_METADATA);
        if (m.messageMetadata() == null) {
            json.writeNull();
        } else {
            mapper.writeTree(json, m.messageMetadata());
        }
        json.writeEndObject();
    }
}
