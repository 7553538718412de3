package routes.ingest;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import routes.model.UuidText;
import routes.model.LoggedMessage;
import routes.model.UnicodeText;

import static routes.model.MessageJson.*;

/**
 * Reads the common list entry in one streaming pass, without building a tree of the envelope: one object whose
 * fields are known and appear once, message_uuid and origin_ts given as text, timestamps as ISO-8601 text, every
 * value valid. Anything else gets null, and {@link MessageParser} reads the entry the full way, which also names
 * what is wrong. For an entry both read, both give the same message (MessageParserTest holds them to it).
 * Profiling the drain showed building and walking the tree at about a fifth of the service's CPU.
 */
final class CommonEntryReader {

    private static final int UUID_BIT = 1;
    private static final int ORIGIN_BIT = 1 << 1;
    private static final int ACK_BIT = 1 << 2;
    private static final int DATA_BIT = 1 << 3;
    private static final int SOURCE_BIT = 1 << 4;
    private static final int RECIPIENTS_BIT = 1 << 5;
    private static final int TOPIC_BIT = 1 << 6;
    private static final int TYPE_BIT = 1 << 7;
    private static final int METADATA_BIT = 1 << 8;
    /** Thrown to give up on the streaming read (caught in {@link #read(byte[])}); no stack trace to fill. */
    private static final RuntimeException NOT_COMMON = new RuntimeException("not a common entry", null, false, false) {
    };

    private final ObjectMapper mapper;
    /** Reads one value inside the entry: what follows it is the rest of the entry, not trailing garbage. */
    private final ObjectReader values;

    CommonEntryReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.values = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The entry, or null when it is not a common one. */
    MessageParser.ParsedEntry read(byte[] entry) {
        try (JsonParser json = mapper.getFactory().createParser(entry)) {
            return read(json);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private MessageParser.ParsedEntry read(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String uuid = null;
        String origin = null;
        String ack = null;
        JsonNode data = null;
        String source = null;
        List<String> recipients = null;
        String topic = null;
        String type = null;
        JsonNode metadata = null;
        int seen = 0;
        JsonToken token;
        while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            int bit;
            switch (name) {
                case MESSAGE_UUID -> {
                    bit = UUID_BIT;
                    uuid = text(json, value);
                }
                case ORIGIN_TS -> {
                    bit = ORIGIN_BIT;
                    origin = text(json, value);
                }
                case ACK_TS -> {
                    bit = ACK_BIT;
                    ack = nullableText(json, value);
                }
                case MESSAGE_DATA -> {
                    bit = DATA_BIT;
                    data = value == JsonToken.VALUE_NULL ? null : values.readTree(json);
                }
                case SOURCE_SUBJECT_ID -> {
                    bit = SOURCE_BIT;
                    source = text(json, value);
                }
                case DESTINATION_SUBJECT_IDS -> {
                    bit = RECIPIENTS_BIT;
                    recipients = recipients(json, value);
                }
                case TOPIC -> {
                    bit = TOPIC_BIT;
                    topic = nullableText(json, value);
                }
                case MESSAGE_TYPE -> {
                    bit = TYPE_BIT;
                    type = nullableText(json, value);
                }
                case MESSAGE_METADATA -> {
                    bit = METADATA_BIT;
                    metadata = value == JsonToken.VALUE_NULL ? null : values.readTree(json);
                }
                default -> {
                    return null;
                }
            }
            if ((seen & bit) != 0) {
                return null;
            }
            seen |= bit;
        }
        // a required field absent, null or of another type is null here
        if (token != JsonToken.END_OBJECT || json.nextToken() != null
                || uuid == null || origin == null || data == null || source == null || recipients == null) {
            return null;
        }
        Instant originTs = instant(origin);
        Instant ackTs = ack == null ? null : instant(ack);
        if (!UuidText.matches(uuid) || originTs == null || ack != null && ackTs == null
                || !storable(data) || metadata != null && !storable(metadata)
                || !nonEmptyStorable(source) || topic != null && !nonEmptyStorable(topic)
                || type != null && !nonEmptyStorable(type)) {
            return null;
        }
        LoggedMessage message = new LoggedMessage(UUID.fromString(uuid), originTs, ackTs, data, source, recipients,
                topic, type, metadata);
        return new MessageParser.ParsedEntry(message, true,
                IsoTimestamps.isCommonToMicros(origin) && (ack == null || IsoTimestamps.isCommonToMicros(ack)));
    }

    /** A string value's text; null for any other token. */
    private static String text(JsonParser json, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_STRING ? json.getText() : null;
    }

    /** A string value's text, or null for a JSON null; any other value makes the entry not a common one. */
    private static String nullableText(JsonParser json, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw NOT_COMMON;
        }
        return json.getText();
    }

    private static List<String> recipients(JsonParser json, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> recipients = new ArrayList<>(2);
        JsonToken token;
        while ((token = json.nextToken()) == JsonToken.VALUE_STRING) {
            String recipient = json.getText();
            if (!nonEmptyStorable(recipient)) {
                return null;
            }
            recipients.add(recipient);
        }
        return token == JsonToken.END_ARRAY ? recipients : null;
    }

    private static Instant instant(String text) {
        try {
            return MessageParser.stored(IsoTimestamps.parse(text));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean nonEmptyStorable(String text) {
        return !text.isEmpty() && UnicodeText.problem(text) == null && MessageParser.withinNameLength(text);
    }

    private static boolean storable(JsonNode value) {
        List<String> problems = new ArrayList<>(0);
        MessageParser.checkStorable(value, "", problems);
        return problems.isEmpty();
    }
}
