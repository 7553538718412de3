package routes.ingest;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

import routes.model.ClientErrorException;
import routes.model.UuidText;
import routes.model.LoggedMessage;
import routes.model.UnicodeText;

import static routes.model.MessageJson.*;

/**
 * Turns client JSON into messages, or says precisely what is wrong with it. The same rules apply to
 * POST /messages and to JSON that other services push straight onto the Redis list.
 */
public final class MessageParser {

    private static final Set<String> FIELDS = Set.of(MESSAGE_UUID, ORIGIN_TS, ACK_TS, MESSAGE_DATA,
            SOURCE_SUBJECT_ID, DESTINATION_SUBJECT_IDS, TOPIC, MESSAGE_TYPE, MESSAGE_METADATA);
    // PostgreSQL's timestamptz reaches further, but a year outside 1..9999 is a client bug, not a timestamp.
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final BigDecimal EARLIEST_SECONDS = BigDecimal.valueOf(EARLIEST.getEpochSecond());
    private static final BigDecimal LATEST_SECONDS = BigDecimal.valueOf(LATEST.getEpochSecond() + 1);
    /** PostgreSQL's numeric (and so jsonb's numbers) holds this many digits before the point, and after it. */
    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;
    static final int MAX_NAME_BYTES = 1024;
    private static final int MAX_ZERO_EXPONENT = 1_073_741_823;

    private final ObjectMapper mapper;
    private final Clock clock;
    private final TimeBasedEpochGenerator uuids = Generators.timeBasedEpochGenerator();
    private final CommonEntryReader commonEntries;

    public MessageParser(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
        this.commonEntries = new CommonEntryReader(mapper);
    }

    /** A request body: one message object, or an array of 1..maxMessages of them (all or nothing). */
    public List<LoggedMessage> parseRequest(byte[] body, int maxMessages) {
        requireUtf8(body);
        JsonNode root = readJson(body);
        if (root.isObject()) {
            return List.of(parseObject(root, ""));
        }
        if (!root.isArray()) {
            throw ClientErrorException.badRequest("invalid message",
                    List.of("body: must be a message object or an array of message objects, got " + kind(root)));
        }
        if (root.isEmpty()) {
            throw ClientErrorException.badRequest("invalid message", List.of("body: the array is empty"));
        }
        if (root.size() > maxMessages) {
            throw new ClientErrorException(413, "too many messages",
                    List.of("body: " + root.size() + " messages in one request, at most " + maxMessages + " allowed"));
        }
        List<LoggedMessage> messages = new ArrayList<>(root.size());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                messages.add(parseObject(root.get(i), "[" + i + "]."));
            } catch (ClientErrorException e) {
                problems.addAll(e.details());
            }
        }
        if (!problems.isEmpty()) {
            throw ClientErrorException.badRequest("invalid message", problems);
        }
        return messages;
    }

    /**
     * A raw entry from the Redis list: one message object. {@code identified} is false when the entry left
     * message_uuid or origin_ts to us, so parsing it again would give another row.
     */
    public ParsedEntry parseEntry(byte[] entry) {
        requireUtf8(entry);
        ParsedEntry common = commonEntries.read(entry);
        return common != null ? common : parseEntryFully(entry);
    }

    public ParsedEntry parseEntry(String entry) {
        return parseEntry(entry.getBytes(StandardCharsets.UTF_8));
    }

    /** Text that is not well-formed UTF-8 is refused, naming where it is, never decoded into something else. */
    private void requireUtf8(byte[] json) {
        if (json == null) {
            return;
        }
        int malformed = Utf8.firstMalformed(json);
        if (malformed >= 0) {
            throw ClientErrorException.badRequest("invalid text", List.of(JsonPaths.at(mapper.getFactory(), json, malformed)
                    + ": not valid UTF-8 (byte 0x" + String.format("%02X", json[malformed] & 0xFF) + " at offset " + malformed + ")"));
        }
    }

    /** The full way: a tree of the whole entry, every rule checked, every problem named. */
    ParsedEntry parseEntryFully(byte[] bytes) {
        JsonNode root = readJson(bytes);
        LoggedMessage message = parseObject(root, "");
        boolean identified = root.hasNonNull(MESSAGE_UUID) && root.hasNonNull(ORIGIN_TS);
        return new ParsedEntry(message, identified,
                identified && readAlikeByDatabase(root.get(ORIGIN_TS)) && readAlikeByDatabase(root.get(ACK_TS)));
    }

    /**
     * {@code identified} is false when the entry left message_uuid or origin_ts to us. {@code storableAsWritten}
     * is true when the database reads the entry's own text into exactly the row we parsed (see
     * {@link #readAlikeByDatabase}), so the bulk insert can take the text without writing it again.
     */
    public record ParsedEntry(LoggedMessage message, boolean identified, boolean storableAsWritten) {
    }

    /**
     * A timestamp PostgreSQL reads to the same instant we do: absent, or ISO text in the common shape with at
     * most six fraction digits (further digits are rounded, by us and by PostgreSQL; writing them again keeps one
     * rule in one place). Epoch seconds and rarer ISO forms are written again as ISO-8601 UTC.
     */
    private static boolean readAlikeByDatabase(JsonNode value) {
        return value == null || value.isNull() || value.isTextual() && IsoTimestamps.isCommonToMicros(value.asText());
    }

    private JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw ClientErrorException.badRequest("malformed JSON", List.of("body: empty, expected a JSON message"));
        }
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            String reason = e.getOriginalMessage();
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ClientErrorException.badRequest("malformed JSON", List.of("body: " + reason + where));
        } catch (IOException e) {
            throw ClientErrorException.badRequest("malformed JSON", List.of("body: " + e.getMessage()));
        } catch (NumberFormatException | ArithmeticException e) {
            // a number whose exponent does not even fit the parser (1e99999999999)
            throw ClientErrorException.badRequest("malformed JSON", List.of("body: a number is out of any storable range"));
        }
    }

    private LoggedMessage parseObject(JsonNode node, String at) {
        List<String> problems = new ArrayList<>();
        if (node == null || !node.isObject()) {
            String where = at.isEmpty() ? "body" : at.substring(0, at.length() - 1);
            throw ClientErrorException.badRequest("invalid message", List.of(where + ": must be a message object, got " + kind(node)));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(at + name + ": unknown field (known: message_uuid, origin_ts, ack_ts, message_data, "
                        + "source_subject_id, destination_subject_ids, topic, message_type, message_metadata)");
            }
        }
        UUID uuid = uuid(node.get(MESSAGE_UUID), at + MESSAGE_UUID, problems);
        Instant origin = timestamp(node.get(ORIGIN_TS), at + ORIGIN_TS, problems);
        Instant ack = timestamp(node.get(ACK_TS), at + ACK_TS, problems);
        JsonNode data = node.get(MESSAGE_DATA);
        if (data == null || data.isNull()) {
            problems.add(at + MESSAGE_DATA + ": required (any JSON value but null)");
        } else {
            checkStorable(data, at + MESSAGE_DATA, problems);
        }
        String source = nonEmptyString(node.get(SOURCE_SUBJECT_ID), at + SOURCE_SUBJECT_ID, true, problems);
        List<String> recipients = recipients(node.get(DESTINATION_SUBJECT_IDS), at + DESTINATION_SUBJECT_IDS, problems);
        String topic = nonEmptyString(node.get(TOPIC), at + TOPIC, false, problems);
        String type = nonEmptyString(node.get(MESSAGE_TYPE), at + MESSAGE_TYPE, false, problems);
        JsonNode metadata = node.get(MESSAGE_METADATA);
        if (metadata != null && metadata.isNull()) {
            metadata = null;
        }
        if (metadata != null) {
            checkStorable(metadata, at + MESSAGE_METADATA, problems);
        }
        if (!problems.isEmpty()) {
            throw ClientErrorException.badRequest("invalid message", problems);
        }
        return new LoggedMessage(
                uuid != null ? uuid : uuids.generate(),
                origin != null ? origin : clock.instant().truncatedTo(ChronoUnit.MICROS),
                ack, data, source, recipients, topic, type, metadata);
    }

    private static UUID uuid(JsonNode value, String field, List<String> problems) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual() && UuidText.matches(value.asText())) {
            return UUID.fromString(value.asText());
        }
        problems.add(field + ": must be a UUID string such as 123e4567-e89b-12d3-a456-426614174000, got " + shown(value));
        return null;
    }

    /**
     * ISO-8601 with an offset ("2025-05-27T10:30:00Z") or epoch seconds, read exactly (never through a double);
     * stored to the microsecond, rounded half to even as PostgreSQL rounds; outside the years 1 to 9999 refused.
     */
    private static Instant timestamp(JsonNode value, String field, List<String> problems) {
        if (value == null || value.isNull()) {
            return null;
        }
        Instant stored = null;
        try {
            if (value.isTextual()) {
                stored = stored(IsoTimestamps.parse(value.asText()));
            } else if (value.isNumber()) {
                stored = fromEpochSeconds(value.decimalValue());
            }
        } catch (DateTimeException | ArithmeticException e) {
            stored = null;
        }
        if (stored == null) {
            problems.add(field + ": must be an ISO-8601 timestamp with an offset (2025-05-27T10:30:00Z) or epoch seconds,"
                    + " in the years 1 to 9999, got " + shown(value));
        }
        return stored;
    }

    /** Epoch seconds to the microsecond; null outside the years 1 to 9999 (checked before anything can wrap). */
    static Instant fromEpochSeconds(BigDecimal seconds) {
        if (seconds.compareTo(EARLIEST_SECONDS) < 0 || seconds.compareTo(LATEST_SECONDS) > 0) {
            return null;
        }
        if ((long) seconds.precision() - seconds.scale() <= -7) {
            // under 1e-7 s: rounds to the epoch itself, and rounding 1e-99999999 the long way takes minutes of CPU
            return Instant.EPOCH;
        }
        long micros = seconds.movePointRight(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        return inRange(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L));
    }

    /** The instant as stored, to the microsecond (half to even); null when it lies outside the years 1 to 9999. */
    static Instant stored(Instant instant) {
        long micros = instant.getNano() / 1_000;
        int rest = instant.getNano() % 1_000;
        if (rest > 500 || rest == 500 && (micros & 1) == 1) {
            micros++;
        }
        return inRange(Instant.ofEpochSecond(instant.getEpochSecond(), micros * 1_000));
    }

    private static Instant inRange(Instant instant) {
        return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? null : instant;
    }

    private static String nonEmptyString(JsonNode value, String field, boolean required, List<String> problems) {
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(field + ": required (a non-empty string)");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            problems.add(field + ": must be a non-empty string, got " + shown(value));
            return null;
        }
        checkStorable(value, field, problems);
        if (!withinNameLength(value.asText())) {
            problems.add(field + ": at most " + MAX_NAME_BYTES + " bytes of UTF-8 (subjects, topics and types are"
                    + " indexed and queried by name), got " + value.asText().getBytes(StandardCharsets.UTF_8).length);
        }
        return value.asText();
    }

    /** Subject ids, topics and types: short enough for PostgreSQL's indexes and a request line that asks for them. */
    static boolean withinNameLength(String name) {
        return name.length() <= MAX_NAME_BYTES / 3 || name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
    }

    private static List<String> recipients(JsonNode value, String field, List<String> problems) {
        if (value == null || value.isNull()) {
            problems.add(field + ": required (an array of non-empty strings)");
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(field + ": must be an array of non-empty strings, got " + shown(value));
            return List.of();
        }
        List<String> recipients = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String recipient = nonEmptyString(value.get(i), field + "[" + i + "]", true, problems);
            recipients.add(recipient);
        }
        return recipients;
    }

    /**
     * What PostgreSQL could not store exactly: text with a NUL character (refused by text and jsonb), text that is
     * not Unicode (an unpaired surrogate escape such as "\\ud800": jsonb refuses it, and any re-encoding would
     * replace it), and numbers beyond numeric's range (131072 digits before the point, 16383 after).
     */
    static void checkStorable(JsonNode value, String field, List<String> problems) {
        if (value.isTextual()) {
            String problem = UnicodeText.problem(value.asText());
            if (problem != null) {
                problems.add(field + ": " + problem);
            }
        } else if (value.isNumber()) {
            if (!storableNumber(value)) {
                problems.add(field + ": the number " + shown(value) + " is beyond what PostgreSQL stores exactly (at most "
                        + MAX_INTEGER_DIGITS + " digits before the point and " + MAX_FRACTION_DIGITS + " after)");
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String problem = UnicodeText.problem(entry.getKey());
                if (problem != null) {
                    problems.add(field + ": a key " + problem);
                }
                checkStorable(entry.getValue(), field + "." + entry.getKey(), problems);
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkStorable(value.get(i), field + "[" + i + "]", problems);
            }
        }
    }

    private static boolean storableNumber(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return true;
        }
        BigDecimal number = value.decimalValue();
        if (number.signum() == 0) {
            // PostgreSQL takes a zero's exponent up to INT_MAX/2 (0e1073741822), not beyond
            return number.scale() <= MAX_FRACTION_DIGITS && number.scale() > -MAX_ZERO_EXPONENT;
        }
        long integerDigits = (long) number.precision() - number.scale();
        return integerDigits <= MAX_INTEGER_DIGITS && number.scale() <= MAX_FRACTION_DIGITS;
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 60 ? kind(value) : text;
    }
}
