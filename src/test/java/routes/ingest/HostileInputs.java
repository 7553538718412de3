package routes.ingest;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Input a careless or hostile producer could send, as bytes: random bytes, valid messages and mutations of them
 * (byte flips, truncation, invalid UTF-8 inside strings, duplicate keys, unknown fields, wrong types), extreme
 * and non-finite numbers, Unicode edge cases, deep nesting, huge strings, impossible timestamps. The same seed
 * gives the same inputs, so a failure is replayed with {@code -Dhostile.seed}. Each input says what the rules
 * expect of it on each path, as far as its construction tells: stored, refused, or either (then it must still be
 * stored exactly or refused with a reason). Used by {@link HostileInputPropertiesRouteTest}, which
 * bench/hostile_campaign.sh runs with many more tries.
 */
final class HostileInputs {

    enum Expect { STORED, REFUSED, EITHER }

    /**
     * One input. {@code sender} is the source_subject_id it was built with (null when it has none of its own, as
     * an array body); {@code invalidTextAt} names the field an invalid UTF-8 sequence was put in, when the error
     * must name it.
     */
    record Input(String generator, String label, byte[] bytes, Expect rest, Expect list, String sender, String invalidTextAt) {

        String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }

        /** The first bytes as text, anything not printable ASCII as \xNN. */
        String preview(int max) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < Math.min(max, bytes.length); i++) {
                int b = bytes[i] & 0xFF;
                out.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02X", b));
            }
            return bytes.length > max ? out + "... (" + bytes.length + " bytes)" : out.toString();
        }

        @Override
        public String toString() {
            return generator + " [" + label + "] " + preview(120);
        }
    }

    private record Generator(String name, Function<HostileInputs, Input> make) {
    }

    /** Every generator, taken in turn so that even a short run tries each of them. */
    private static final List<Generator> GENERATORS = List.of(
            new Generator("random-bytes", HostileInputs::randomBytes),
            new Generator("valid", HostileInputs::validMessage),
            new Generator("byte-flip", HostileInputs::byteFlip),
            new Generator("truncated", HostileInputs::truncated),
            new Generator("invalid-utf8", HostileInputs::invalidUtf8),
            new Generator("duplicate-key", HostileInputs::duplicateKey),
            new Generator("unknown-field", HostileInputs::unknownField),
            new Generator("wrong-type", HostileInputs::wrongType),
            new Generator("extreme-number", HostileInputs::extremeNumber),
            new Generator("unicode-edge", HostileInputs::unicodeEdge),
            new Generator("deep-nesting", HostileInputs::deepNesting),
            new Generator("huge-string", HostileInputs::hugeString),
            new Generator("impossible-timestamp", HostileInputs::impossibleTimestamp),
            new Generator("timestamp-edge", HostileInputs::timestampEdge),
            new Generator("array-body", HostileInputs::arrayBody));

    /** http.max-body-size is 1 MiB; generated bodies stay below it with room for the envelope. */
    static final int MAX_BODY = 1_000_000;
    /** Stands for a place in a string value where raw bytes are put afterwards; no generated text holds a '~'. */
    private static final String SPLICE = "~SPLICE~";
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final Random random;
    private final String senderPrefix;
    private int senders;
    private int turn;

    /** {@code senderPrefix} starts every source_subject_id these inputs carry, e.g. "hp-l-". */
    HostileInputs(long seed, String senderPrefix) {
        this.random = new Random(seed);
        this.senderPrefix = senderPrefix;
        this.turn = Math.floorMod(seed, GENERATORS.size());
    }

    static List<String> generatorNames() {
        return GENERATORS.stream().map(Generator::name).toList();
    }

    /** The next generated input, from the next generator in turn. */
    Input next() {
        Generator generator = GENERATORS.get(turn++ % GENERATORS.size());
        Input input = generator.make().apply(this);
        return new Input(generator.name(), input.label(), input.bytes(), input.rest(), input.list(), input.sender(),
                input.invalidTextAt());
    }

    /**
     * The inputs of the bug report (origin_ts 1e400, an overlong C0 AF inside a string, a lone "\ud800", a 40-digit
     * decimal, 2^64 + 1748341800 as epoch seconds), then inputs that found a bug, kept so that they are always tried.
     */
    List<Input> fixedExamples() {
        List<Input> examples = new ArrayList<>();
        Message infinite = message();
        infinite.set("origin_ts", "1e400");
        examples.add(fixed("origin_ts 1e400", infinite.bytes(), Expect.REFUSED, Expect.REFUSED, infinite.sender, null));

        Message overlong = message();
        overlong.set("message_data", "{\"text\": \"a" + SPLICE + "b\"}");
        examples.add(fixed("overlong C0 AF in message_data.text", overlong.bytesSplicing(new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Expect.REFUSED, Expect.REFUSED, overlong.sender, "message_data.text"));

        Message lone = message();
        lone.set("message_data", "{\"text\": \"\\ud800\"}");
        examples.add(fixed("lone \\ud800 in message_data.text", lone.bytes(), Expect.REFUSED, Expect.REFUSED, lone.sender, null));

        Message decimal = message();
        decimal.set("message_data", "{\"n\": 1234567890123456789012345678901234.567890, \"m\": -0.0000000000000000000000000000000000000001}");
        examples.add(fixed("40-digit decimals in message_data", decimal.bytes(), Expect.STORED, Expect.STORED, decimal.sender, null));

        Message wrapping = message();
        wrapping.set("origin_ts", TWO_TO_64.add(BigInteger.valueOf(1_748_341_800L)).toString());
        examples.add(fixed("origin_ts 2^64 + 1748341800 (epoch)", wrapping.bytes(), Expect.REFUSED, Expect.REFUSED, wrapping.sender, null));

        // found by these properties (2026-12-02), see bench/README.md: accepted with 202, then refused by an index
        Message bigSender = message();
        bigSender.sender = bigSender.sender + randomAscii(3_000);
        bigSender.set("source_subject_id", quote(bigSender.sender, 0));
        examples.add(regression("3000-char source_subject_id (beyond the btree index's row limit)", bigSender.bytes(), bigSender.sender));
        Message bigRecipient = message();
        bigRecipient.set("destination_subject_ids", "[\"r\", " + quote(randomAscii(3_000), 0) + "]");
        examples.add(regression("3000-char recipient (beyond the GIN index's row limit)", bigRecipient.bytes(), bigRecipient.sender));
        // ... and dead-lettered on the list although valid: PostgreSQL's timestamptz takes offsets up to 15:59:59 only
        Message farOffset = message();
        farOffset.set("origin_ts", "\"2025-05-27T10:30:00.5-18:00\"");
        examples.add(new Input("regression", "origin_ts 2025-05-27T10:30:00.5-18:00 (an offset beyond PostgreSQL's 15:59)",
                farOffset.bytes(), Expect.STORED, Expect.STORED, farOffset.sender, null));
        // ... and a zero whose exponent PostgreSQL's numeric input refuses (from 1073741823 on, INT_MAX / 2)
        Message zero = message();
        zero.set("message_data", "{\"zero\": 0e1073741823}");
        examples.add(regression("0e1073741823 in message_data (a zero PostgreSQL cannot read)", zero.bytes(), zero.sender));
        // ... and epoch seconds with a huge negative exponent: 1970-01-01T00:00:00Z, but seconds of CPU to round
        // (BigDecimal.setScale computes 10^19999993: about 7 s; 1e-9999999 took 2 to 6 s, too close to the bound)
        Message tiny = message();
        tiny.set("origin_ts", "1e-19999999");
        examples.add(new Input("regression", "origin_ts 1e-19999999 (epoch 0 after rounding)", tiny.bytes(), Expect.STORED, Expect.STORED,
                tiny.sender, null));
        return examples;
    }

    private static Input regression(String label, byte[] bytes, String sender) {
        return new Input("regression", label, bytes, Expect.EITHER, Expect.EITHER, sender, null);
    }

    private String randomAscii(int length) {
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    private static Input fixed(String label, byte[] bytes, Expect rest, Expect list, String sender, String invalidTextAt) {
        return new Input("bug-report", label, bytes, rest, list, sender, invalidTextAt);
    }

    // ------------------------------------------------------------------ generators

    private Input randomBytes() {
        int kind = random.nextInt(10);
        int length = kind < 3 ? random.nextInt(17) : kind < 8 ? random.nextInt(257) : random.nextInt(4097);
        byte[] bytes = new byte[length];
        boolean jsonish = random.nextBoolean();
        byte[] alphabet = "{}[]\":,-+.0123456789eEtrufalsn \\u\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < length; i++) {
            bytes[i] = jsonish && random.nextInt(5) > 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
        }
        return input(length + (jsonish ? " JSON-ish" : "") + " random bytes", bytes, Expect.EITHER, Expect.EITHER, null, null);
    }

    private Input validMessage() {
        Message m = message();
        String label = "valid";
        int variant = random.nextInt(8);
        if (variant == 0) {
            m.remove("message_uuid");
            label = "valid, no message_uuid";
        } else if (variant == 1) {
            m.remove("origin_ts");
            label = "valid, no origin_ts";
        } else if (variant == 2) {
            m.shuffle();
            label = "valid, fields shuffled";
        } else if (variant == 3) {
            m.set("destination_subject_ids", "[]");
            label = "valid, no recipients";
        }
        return input(label, m.bytes(), Expect.STORED, Expect.STORED, m.sender, null);
    }

    private Input byteFlip() {
        byte[] bytes = message().bytes();
        int flips = 1 + random.nextInt(3);
        StringBuilder label = new StringBuilder("valid message with bytes changed at");
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(bytes.length);
            bytes[at] = (byte) random.nextInt(256);
            label.append(' ').append(at);
        }
        return input(label.toString(), bytes, Expect.EITHER, Expect.EITHER, null, null);
    }

    private Input truncated() {
        byte[] whole = message().bytes();
        // before the closing brace: cutting only the whitespace after it would leave a whole message
        int closing = whole.length - 1;
        while (whole[closing] != '}') {
            closing--;
        }
        int length = random.nextInt(closing);
        byte[] bytes = new byte[length];
        System.arraycopy(whole, 0, bytes, 0, length);
        return input("valid message cut to " + length + " of " + whole.length + " bytes", bytes, Expect.REFUSED, Expect.REFUSED, null, null);
    }

    /** Sequences that are not well-formed UTF-8 (RFC 3629), each put inside a string. */
    private static final byte[][] INVALID_UTF8 = {
            {(byte) 0xC0, (byte) 0xAF},                          // overlong '/'
            {(byte) 0xC1, (byte) 0xBF},                          // overlong
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},             // overlong, three bytes
            {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, // overlong, four bytes
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},             // encoded high surrogate
            {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},             // encoded low surrogate
            {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80}, // CESU-8 pair
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0x80},                                       // a continuation byte alone
            {(byte) 0xBF, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},                          // cut short
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},             // cut short, four bytes
            {(byte) 0xC3},                                       // a lead byte alone
            {(byte) 0xE2, (byte) 0x28, (byte) 0xA1},             // bad second byte
    };

    private Input invalidUtf8() {
        byte[] sequence = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
        Message m = message();
        String at = spliceSomewhere(m);
        String hex = hex(sequence);
        return input(hex + " inside " + (at == null ? "a key of message_data" : at), m.bytesSplicing(sequence),
                Expect.REFUSED, Expect.REFUSED, m.sender, at);
    }

    /** Puts the splice mark in one string of the message; the field it is in, or null for a key. */
    private String spliceSomewhere(Message m) {
        String text = "x" + SPLICE + "y";
        switch (random.nextInt(7)) {
            case 0 -> {
                m.set("message_data", "{\"t1\": " + quote(text) + ", \"n\": 1}");
                return "message_data.t1";
            }
            case 1 -> {
                m.set("source_subject_id", quote(m.sender + SPLICE));
                return "source_subject_id";
            }
            case 2 -> {
                m.set("destination_subject_ids", "[" + quote(text) + "]");
                return "destination_subject_ids[0]";
            }
            case 3 -> {
                m.set("topic", quote(text));
                return "topic";
            }
            case 4 -> {
                m.set("message_metadata", "{\"k\": [1, " + quote(text) + "]}");
                return "message_metadata.k[1]";
            }
            case 5 -> {
                m.set("message_type", quote(text));
                return "message_type";
            }
            default -> {
                m.set("message_data", "{" + quote("key" + SPLICE) + ": 1}");
                return null;
            }
        }
    }

    private Input duplicateKey() {
        Message m = message();
        String label;
        switch (random.nextInt(6)) {
            case 0 -> {
                m.duplicate("source_subject_id", quote(m.sender));
                label = "source_subject_id twice, same value";
            }
            case 1 -> {
                m.duplicate("message_uuid", quote(uuid()));
                label = "message_uuid twice, two values";
            }
            case 2 -> {
                m.duplicate("message_data", "{\"other\": true}");
                label = "message_data twice";
            }
            case 3 -> {
                m.set("message_data", "{\"a\": 1, \"b\": 2, \"a\": 3}");
                label = "a key twice inside message_data";
            }
            case 4 -> {
                m.duplicateRaw("\"\\u0073ource_subject_id\"", quote(sender()));
                label = "source_subject_id twice, once written with an escape";
            }
            default -> {
                m.set("message_metadata", "{\"x\": {\"y\": 1, \"\\u0079\": 2}}");
                label = "a key twice inside message_metadata, once escaped";
            }
        }
        return input(label, m.bytes(), Expect.REFUSED, Expect.REFUSED, m.sender, null);
    }

    private static final String[] UNKNOWN_FIELDS = {"extra", "Message_UUID", "message_uuid ", " message_data", "messageData", "",
            "__proto__", "\uff4dessage_uuid", "message_data\u200b", "ack", "origin", "payload", "message_uuid\u0301"};

    private Input unknownField() {
        Message m = message();
        String name = UNKNOWN_FIELDS[random.nextInt(UNKNOWN_FIELDS.length)];
        m.add(name, value(2, false));
        return input("unknown field " + quote(name, 1), m.bytes(), Expect.REFUSED, Expect.REFUSED, m.sender, null);
    }

    private static final String[][] WRONG_TYPES = {
            {"message_uuid", "123", "true", "{}", "[]", "\"\"", "\"not-a-uuid\"", "\"123e4567e89b12d3a456426614174000\"",
                    "\"123e4567-e89b-12d3-a456-42661417400g\"", "\"{123e4567-e89b-12d3-a456-426614174000}\"", "\"1-2-3-4-5\"",
                    "\" 123e4567-e89b-12d3-a456-426614174000\""},
            {"origin_ts", "true", "{}", "[]", "\"\"", "\"yesterday\"", "[1748341800]", "{\"seconds\": 1748341800}"},
            {"ack_ts", "false", "\"\"", "[]", "\"2025-05-27\""},
            {"message_data", "null", null},
            {"source_subject_id", "null", null, "\"\"", "1", "[]", "[\"a\"]", "{}", "true"},
            {"destination_subject_ids", "null", null, "\"r\"", "[\"\"]", "[1]", "[null]", "[[\"r\"]]", "{}", "[\"r\", 2]"},
            {"topic", "\"\"", "1", "[]", "{}", "true"},
            {"message_type", "\"\"", "0", "[\"chat\"]"},
    };
    private static final String[] NOT_A_MESSAGE = {"null", "1", "\"a message\"", "true", "[]", "[1]", "[null]", "[[]]", "{}",
            " ", "\n"};

    private Input wrongType() {
        if (random.nextInt(6) == 0) {
            String body = NOT_A_MESSAGE[random.nextInt(NOT_A_MESSAGE.length)];
            return input("body " + quote(body, 1), body.getBytes(StandardCharsets.UTF_8), Expect.REFUSED, Expect.REFUSED, null, null);
        }
        Message m = message();
        String[] choices = WRONG_TYPES[random.nextInt(WRONG_TYPES.length)];
        String field = choices[0];
        String value = choices[1 + random.nextInt(choices.length - 1)];
        if (value == null) {
            m.remove(field);
        } else {
            m.set(field, value);
        }
        return input(field + (value == null ? " absent" : " = " + value), m.bytes(), Expect.REFUSED, Expect.REFUSED, m.sender, null);
    }

    /** Numbers jsonb stores exactly: at most 131072 digits before the point and 16383 after. */
    private static final String[] STORABLE_NUMBERS = {"1e400", "-1e400", "1e-400", "1e131071", "1E+131071", "-1e131071",
            "9.9e131070", "1e-16383", "-1e-16383", "0e-16383", "18446744073709551617", "-18446744073709551617",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
            "1234567890123456789012345678901234567890", "0.1234567890123456789012345678901234567890",
            "5e-324", "4.9e-325", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-0", "-0.0", "1.10", "1.0e0",
            "0.30000000000000004", "2e-1", "1E2", "123456789012345678901234567890.123456789012345678901234567890"};
    /** Beyond what numeric stores: must be refused. */
    private static final String[] UNSTORABLE_NUMBERS = {"1e131072", "-1e131072", "12e131071", "1e-16384", "-1e-16384", "15e-16385",
            "1e999999999", "1e-999999999", "1e2147483648", "1e-2147483649", "1e99999999999999999999"};
    /** Not JSON numbers at all. */
    private static final String[] NOT_NUMBERS = {"NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "+1", "01", "-01", ".5", "1.",
            "0x10", "1e", "1e+", "--1", "1_000", "\u221e", "1.5.5", "- 1"};
    /** Storable, but at an edge where a refusal with a reason is acceptable too. */
    private static final String[] EDGE_NUMBERS = {"0e-16384", "0e999999999", "-0e-99999", "0E+2147483647", "0e1073741822",
            "0e1073741823", "-0E-1073741823"};

    private Input extremeNumber() {
        int kind = random.nextInt(10);
        String number;
        Expect expect;
        if (kind < 4) {
            number = STORABLE_NUMBERS[random.nextInt(STORABLE_NUMBERS.length)];
            expect = Expect.STORED;
        } else if (kind == 4) {
            number = integer(40 + random.nextInt(60)) + "." + digits(1 + random.nextInt(60));
            expect = Expect.STORED;
        } else if (kind == 5) {
            // a literal of up to 1000 characters (Jackson's limit for one number) is read; beyond it may be refused
            int length = random.nextBoolean() ? 990 + random.nextInt(10) : 1001 + random.nextInt(2000);
            number = "1" + digits(length - 1);
            expect = length <= 1000 ? Expect.STORED : Expect.EITHER;
        } else if (kind == 6) {
            number = UNSTORABLE_NUMBERS[random.nextInt(UNSTORABLE_NUMBERS.length)];
            expect = Expect.REFUSED;
        } else if (kind < 9) {
            number = NOT_NUMBERS[random.nextInt(NOT_NUMBERS.length)];
            expect = Expect.REFUSED;
        } else {
            number = EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
            expect = Expect.EITHER;
        }
        Message m = message();
        String where = random.nextBoolean() ? "message_data" : "message_metadata";
        m.set(where, random.nextBoolean() ? "{\"n\": " + number + ", \"s\": \"x\"}" : "[0, {\"deep\": [" + number + "]}]");
        String shown = number.length() > 40 ? number.length() + "-character number" : number;
        return input(shown + " in " + where, m.bytes(), expect, expect, m.sender, null);
    }

    /** Code points that are Unicode text jsonb stores as they are, some of them awkward. */
    private static final int[] EDGE_CODE_POINTS = {0x00E9, 0x4E16, 0x07FF, 0x0800, 0x0080, 0x007F, 0xFEFF, 0x200F, 0x200E,
            0x202E, 0x2066, 0x0301, 0x0308, 0x20DD, 0x200D, 0x200B, 0xFFFD, 0xFFFE, 0xFFFF, 0xFDD0, 0x2028, 0x2029, 0xE000,
            0x1F600, 0x1F468, 0x10000, 0x10FFFF, 0x1D11E, 0x0001, 0x001F, 0x0009, 0x000A};
    /** Written as they stand inside a JSON string: not Unicode text, or text jsonb cannot hold. */
    private static final String[] INVALID_ESCAPES = {"\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\udc00\\ud800", "\\ud83d",
            "\\ud83dA", "\\ud83d\\ud83d", "\\ude00\\ud83d", "\\u0000", "a\\u0000b", "\\uD800\\u0041"};
    /** Raw bytes a JSON string may not hold unescaped. */
    private static final byte[][] RAW_CONTROLS = {{0x00}, {0x01}, {0x1F}, {0x0A}};

    private Input unicodeEdge() {
        int kind = random.nextInt(8);
        if (kind == 0) {
            Message m = message();
            byte[] body = m.bytes();
            byte[] bom = new byte[body.length + 3];
            bom[0] = (byte) 0xEF;
            bom[1] = (byte) 0xBB;
            bom[2] = (byte) 0xBF;
            System.arraycopy(body, 0, bom, 3, body.length);
            return input("byte order mark before the body", bom, Expect.EITHER, Expect.EITHER, m.sender, null);
        }
        if (kind <= 4) {
            StringBuilder text = new StringBuilder("e");
            int count = 1 + random.nextInt(4);
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < count; i++) {
                int cp = EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)];
                text.appendCodePoint(cp);
                shown.append(String.format(" U+%04X", cp));
            }
            Message m = message();
            String at = placeText(m, text.toString());
            return input("valid text" + shown + " in " + at, m.bytes(), Expect.STORED, Expect.STORED, m.sender, null);
        }
        Message m = message();
        String at = spliceSomewhere(m);
        if (kind <= 6) {
            String escape = INVALID_ESCAPES[random.nextInt(INVALID_ESCAPES.length)];
            return input(escape + " in " + (at == null ? "a key of message_data" : at),
                    m.bytesSplicing(escape.getBytes(StandardCharsets.US_ASCII)), Expect.REFUSED, Expect.REFUSED, m.sender, null);
        }
        byte[] raw = RAW_CONTROLS[random.nextInt(RAW_CONTROLS.length)];
        return input("raw byte " + hex(raw) + " in " + (at == null ? "a key of message_data" : at), m.bytesSplicing(raw),
                Expect.REFUSED, Expect.REFUSED, m.sender, null);
    }

    /** Puts valid text somewhere in the message; the name of where. */
    private String placeText(Message m, String text) {
        switch (random.nextInt(7)) {
            case 0 -> {
                m.set("message_data", "{\"text\": " + quote(text) + "}");
                return "message_data.text";
            }
            case 1 -> {
                m.set("message_data", "{" + quote(text) + ": " + quote(text) + "}");
                return "a key and value of message_data";
            }
            case 2 -> {
                m.sender = m.sender + text;
                m.set("source_subject_id", quote(m.sender));
                return "source_subject_id";
            }
            case 3 -> {
                m.set("destination_subject_ids", "[\"r\", " + quote(text) + "]");
                return "destination_subject_ids";
            }
            case 4 -> {
                m.set("topic", quote(text));
                return "topic";
            }
            case 5 -> {
                m.set("message_metadata", "[" + quote(text) + "]");
                return "message_metadata";
            }
            default -> {
                m.set("message_type", quote(text));
                return "message_type";
            }
        }
    }

    /** Jackson reads at most 1000 levels; the envelope is one of them. */
    private static final int[] DEPTHS = {2, 10, 64, 200, 499, 900, 990, 995, 996, 997, 998, 999, 1000, 1001, 1002, 1500, 5000, 20000};

    private Input deepNesting() {
        int depth = DEPTHS[random.nextInt(DEPTHS.length)];
        boolean objects = random.nextBoolean();
        StringBuilder value = new StringBuilder(depth * 6 + 8);
        for (int i = 0; i < depth; i++) {
            value.append(objects ? "{\"a\":" : "[");
        }
        value.append("1");
        for (int i = 0; i < depth; i++) {
            value.append(objects ? '}' : ']');
        }
        Message m = message();
        String where = random.nextBoolean() ? "message_data" : "message_metadata";
        m.set(where, value.toString());
        // levels Jackson counts: the message object, then the value's own
        Expect expect = depth + 1 <= 500 ? Expect.STORED : depth + 1 > 1000 ? Expect.REFUSED : Expect.EITHER;
        return input(depth + " levels of " + (objects ? "objects" : "arrays") + " in " + where, m.bytes(), expect, expect,
                m.sender, null);
    }

    private Input hugeString() {
        int kind = random.nextInt(4);
        int position = random.nextInt(5);
        // sender, recipient, topic: a few kB to 100 kB; message_data and metadata: up to ~500 kB
        int chars = position >= 2 ? 2_000 + random.nextInt(100_000) : 100_000 + random.nextInt(400_000);
        StringBuilder text = new StringBuilder(chars + 8);
        String style;
        if (kind == 0) {
            style = "random ASCII";
            while (text.length() < chars) {
                text.append((char) ('a' + random.nextInt(26)));
            }
        } else if (kind == 1) {
            style = "repeated ASCII";
            while (text.length() < chars) {
                text.append("abcdefghij");
            }
        } else {
            style = kind == 2 ? "random multi-byte" : "random multi-byte, escaped";
            // at most 4 bytes a char as UTF-8, 6 as escapes
            chars = Math.min(chars, kind == 2 ? 200_000 : 120_000);
            while (text.length() < chars) {
                text.appendCodePoint(EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)]);
            }
        }
        String literal = quote(text.toString(), kind == 3 ? 1 : 0);
        Message m = message();
        String where;
        switch (position) {
            case 0 -> {
                m.set("message_data", "{\"big\": " + literal + "}");
                where = "message_data";
            }
            case 1 -> {
                m.set("message_metadata", "[" + literal + "]");
                where = "message_metadata";
            }
            case 2 -> {
                m.sender = m.sender + text;
                m.set("source_subject_id", quote(m.sender, kind == 3 ? 1 : 0));
                where = "source_subject_id";
            }
            case 3 -> {
                m.set("destination_subject_ids", "[\"r\", " + literal + "]");
                where = "destination_subject_ids";
            }
            default -> {
                m.set("topic", literal);
                where = "topic";
            }
        }
        byte[] bytes = m.bytes();
        if (bytes.length > MAX_BODY) {
            throw new IllegalStateException("generated a body over " + MAX_BODY + " bytes: " + bytes.length);
        }
        // big text in an indexed column (sender: btree; recipients: GIN) may be beyond what the index holds
        Expect expect = position < 2 ? Expect.STORED : Expect.EITHER;
        return input(text.length() + " chars of " + style + " in " + where + " (" + bytes.length + " bytes)", bytes, expect, expect,
                m.sender, null);
    }

    /** Timestamps no rule accepts: out of the years 1 to 9999, not a date, without an offset, not a timestamp. */
    private static final String[] IMPOSSIBLE_TIMESTAMPS = {"1e400", "-1e400", "18446744075457893416", "18446744073709551616",
            "-18446744073709551616", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e19", "-62135596801",
            "-62135596800.0000006", "253402300800", "253402300799.9999995", "1e999999999", "-1e999999999",
            "\"0000-01-01T00:00:00Z\"", "\"10000-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"", "\"-0001-01-01T00:00:00Z\"",
            "\"0001-01-01T00:00:00+00:01\"", "\"9999-12-31T23:59:59-00:01\"", "\"9999-12-31T23:59:59.9999995Z\"",
            "\"2025-13-01T00:00:00Z\"", "\"2025-00-10T00:00:00Z\"", "\"2025-02-30T00:00:00Z\"", "\"2025-05-27T24:00:00Z\"",
            "\"2025-05-27T10:60:00Z\"", "\"2025-05-27T10:30:60Z\"", "\"2025-05-27T10:30:00\"", "\"2025-05-27 10:30:00\"",
            "\"2025-05-27T10:30:00+25:00\"", "\"2025-05-27T10:30:00+18:01\"", "\"2025-05-27\"", "\"10:30:00Z\"", "\"\"", "\"now\"",
            "\"2025-05-27T10:30:00.1234567890Z\"", "\"2025-05-27T10:30:00Z[Europe/Paris]\"", "\"2025-05-27T10:30:00 Z\"",
            "\"1748341800\"", "true", "\"2025-05-27T10:30:00\\u0000Z\"", "\"\\ud800\""};

    private Input impossibleTimestamp() {
        String stamp = IMPOSSIBLE_TIMESTAMPS[random.nextInt(IMPOSSIBLE_TIMESTAMPS.length)];
        Message m = message();
        String field = random.nextInt(3) == 0 ? "ack_ts" : "origin_ts";
        m.set(field, stamp);
        return input(field + " = " + stamp, m.bytes(), Expect.REFUSED, Expect.REFUSED, m.sender, null);
    }

    /** Timestamps at the edges of what is accepted; each is stored at its instant rounded half to even to the microsecond. */
    private static final String[] EDGE_TIMESTAMPS = {"\"0001-01-01T00:00:00Z\"", "\"0001-01-01T00:00:00.0000004Z\"",
            "\"9999-12-31T23:59:59.999999Z\"", "\"9999-12-31T23:59:59.9999994Z\"", "\"9999-12-31T23:59:59+00:00\"",
            "\"0001-01-01T23:59:59-01:00\"", "\"2025-05-27T10:30:00.0000005Z\"", "\"2025-05-27T10:30:00.0000015Z\"",
            "\"2025-05-27T10:30:00.9999995Z\"", "\"2025-05-27T10:30:00.123456789+14:00\"", "\"2025-05-27T10:30:00.5-18:00\"",
            "\"2025-05-27T10:30:00+15:59\"", "\"2025-05-27T10:30:00-15:59\"", "\"2025-05-27T10:30:00+16:00\"",
            "\"2025-05-27T10:30:00-17:30\"", "\"2025-05-27T10:30:00.123+18:00\"", "\"2025-05-27T10:30:00+15:59:59\"",
            "\"2025-05-27T10:30Z\"", "\"2024-02-29T12:00:00Z\"", "\"2025-05-27T10:30:00.000Z\"", "\"1969-12-31T23:59:59.9999995Z\"",
            "-62135596800", "-62135596799.9999995", "253402300799", "253402300799.999999", "253402300799.9999994", "0", "-0.0000005",
            "0.0000005", "0.0000015", "1e-400", "-1e-400", "1748341800.123456789", "1.7483418e9", "1748341800E0", "-1",
            "1748341800.0000005", "17483418000000000e-7", "1e-99999", "-1e-99999"};

    private Input timestampEdge() {
        String stamp = EDGE_TIMESTAMPS[random.nextInt(EDGE_TIMESTAMPS.length)];
        Message m = message();
        String field = random.nextInt(3) == 0 ? "ack_ts" : "origin_ts";
        m.set(field, stamp);
        return input(field + " = " + stamp, m.bytes(), Expect.STORED, Expect.STORED, m.sender, null);
    }

    private Input arrayBody() {
        int count = 2 + random.nextInt(2);
        boolean oneBad = random.nextBoolean();
        int bad = random.nextInt(count);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            Message m = message();
            if (oneBad && i == bad) {
                m.set("message_data", "null");
            }
            body.append(i == 0 ? "" : ", ").append(m.text());
        }
        body.append(']');
        return input(count + " messages in an array" + (oneBad ? ", message " + bad + " without message_data" : ""),
                body.toString().getBytes(StandardCharsets.UTF_8), oneBad ? Expect.REFUSED : Expect.STORED, Expect.REFUSED, null, null);
    }

    private static Input input(String label, byte[] bytes, Expect rest, Expect list, String sender, String invalidTextAt) {
        return new Input("", label, bytes, rest, list, sender, invalidTextAt);
    }

    // ------------------------------------------------------------------ valid messages, as JSON text

    /** A message as JSON text, field by field (raw JSON values), so that tests can break one field at a time. */
    private final class Message {

        private final List<String[]> fields = new ArrayList<>();
        String sender;

        String text() {
            StringBuilder out = new StringBuilder(512).append('{');
            for (int i = 0; i < fields.size(); i++) {
                out.append(i == 0 ? "" : ",").append(space()).append(fields.get(i)[0]).append(space()).append(':')
                        .append(space()).append(fields.get(i)[1]);
            }
            return out.append(space()).append('}').append(random.nextInt(8) == 0 ? "\n" : "").toString();
        }

        byte[] bytes() {
            return text().getBytes(StandardCharsets.UTF_8);
        }

        /** The text with the splice mark replaced by these bytes. */
        byte[] bytesSplicing(byte[] raw) {
            byte[] text = bytes();
            byte[] mark = SPLICE.getBytes(StandardCharsets.US_ASCII);
            int at = indexOf(text, mark);
            if (at < 0) {
                throw new IllegalStateException("no splice mark in " + new String(text, StandardCharsets.UTF_8));
            }
            byte[] out = new byte[text.length - mark.length + raw.length];
            System.arraycopy(text, 0, out, 0, at);
            System.arraycopy(raw, 0, out, at, raw.length);
            System.arraycopy(text, at + mark.length, out, at + raw.length, text.length - at - mark.length);
            return out;
        }

        void set(String name, String rawValue) {
            for (String[] field : fields) {
                if (field[0].equals(quote(name, 0))) {
                    field[1] = rawValue;
                    return;
                }
            }
            add(name, rawValue);
        }

        void add(String name, String rawValue) {
            fields.add(new String[] {quote(name, 0), rawValue});
        }

        void duplicate(String name, String rawValue) {
            fields.add(random.nextInt(fields.size() + 1), new String[] {quote(name, 0), rawValue});
        }

        void duplicateRaw(String rawName, String rawValue) {
            fields.add(new String[] {rawName, rawValue});
        }

        void remove(String name) {
            fields.removeIf(field -> field[0].equals(quote(name, 0)));
        }

        void shuffle() {
            Collections.shuffle(fields, random);
        }
    }

    /** A valid message with a sender of its own, every field set in one of its accepted forms. */
    private Message message() {
        Message m = new Message();
        m.sender = sender();
        String uuid = uuid();
        m.add("message_uuid", quote(random.nextInt(8) == 0 ? uuid.toUpperCase(Locale.ROOT) : uuid, 0));
        m.add("origin_ts", timestamp());
        int ack = random.nextInt(3);
        if (ack > 0) {
            m.add("ack_ts", ack == 1 ? "null" : timestamp());
        }
        m.add("message_data", random.nextInt(4) == 0 ? value(0, true) : object(0));
        m.add("source_subject_id", quote(m.sender));
        StringBuilder recipients = new StringBuilder("[");
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            recipients.append(i == 0 ? "" : ", ").append(quote(nonEmptyText()));
        }
        m.add("destination_subject_ids", recipients.append(']').toString());
        if (random.nextBoolean()) {
            m.add("topic", random.nextInt(4) == 0 ? "null" : quote(nonEmptyText()));
        }
        if (random.nextBoolean()) {
            m.add("message_type", random.nextInt(4) == 0 ? "null" : quote(nonEmptyText()));
        }
        if (random.nextBoolean()) {
            m.add("message_metadata", random.nextInt(4) == 0 ? "null" : value(1, true));
        }
        return m;
    }

    private String sender() {
        return senderPrefix + (++senders) + "-" + Integer.toHexString(random.nextInt(0x10000));
    }

    private String uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** ISO-8601 with an offset, or epoch seconds, in the years 2 to 9998 (an offset cannot take it out of range). */
    private String timestamp() {
        if (random.nextInt(3) == 0) {
            long seconds = random.nextInt(4) == 0 ? -62_000_000_000L + (long) (random.nextDouble() * 315_000_000_000L)
                    : (long) (random.nextDouble() * 4_102_444_800L);
            int fraction = random.nextInt(10);
            return fraction == 0 ? Long.toString(seconds) : seconds + "." + digits(fraction);
        }
        int year = random.nextInt(4) == 0 ? 2 + random.nextInt(9997) : 1970 + random.nextInt(131);
        String date = String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, 1 + random.nextInt(12), 1 + random.nextInt(28),
                random.nextInt(24), random.nextInt(60), random.nextInt(60));
        int fraction = random.nextInt(10);
        if (fraction > 0) {
            date += "." + digits(fraction);
        }
        String offset = switch (random.nextInt(4)) {
            case 0 -> "Z";
            case 1 -> "+00:00";
            default -> String.format("%s%02d:%s", random.nextBoolean() ? "+" : "-", random.nextInt(15),
                    new String[] {"00", "30", "45"}[random.nextInt(3)]);
        };
        return "\"" + date + offset + "\"";
    }

    /** Any JSON value jsonb stores exactly; null only inside a container. */
    private String value(int depth, boolean nonNull) {
        int kind = random.nextInt(depth >= 3 ? 4 : 6);
        return switch (kind) {
            case 0 -> quote(text());
            case 1 -> number();
            case 2 -> random.nextBoolean() ? "true" : "false";
            case 3 -> nonNull ? quote(text()) : "null";
            case 4 -> object(depth);
            default -> array(depth);
        };
    }

    private String object(int depth) {
        int count = random.nextInt(5);
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            // an index in every key: no two keys of one object are the same once decoded
            String key = (random.nextInt(4) == 0 ? text() : "k") + i;
            out.append(i == 0 ? "" : ",").append(space()).append(quote(key)).append(':').append(space()).append(value(depth + 1, false));
        }
        return out.append('}').toString();
    }

    private String array(int depth) {
        int count = random.nextInt(5);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : ",").append(space()).append(value(depth + 1, false));
        }
        return out.append(']').toString();
    }

    private String number() {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt(2001) - 1000);
            case 1 -> Long.toString(random.nextLong());
            case 2 -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + digits(1 + random.nextInt(8));
            case 3 -> STORABLE_NUMBERS[random.nextInt(STORABLE_NUMBERS.length)];
            case 4 -> random.nextInt(100) + "e" + (random.nextInt(801) - 400);
            default -> integer(20 + random.nextInt(30));
        };
    }

    /** Text of 0 to 12 code points: mostly ASCII, some of them awkward (see EDGE_CODE_POINTS). */
    private String text() {
        int length = random.nextInt(13);
        StringBuilder out = new StringBuilder();
        String ascii = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_./\\\"'";
        for (int i = 0; i < length; i++) {
            if (random.nextInt(4) == 0) {
                out.appendCodePoint(EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)]);
            } else {
                out.append(ascii.charAt(random.nextInt(ascii.length())));
            }
        }
        return out.toString();
    }

    private String nonEmptyText() {
        String text = text();
        return text.isEmpty() ? "r" : text;
    }

    /** A JSON integer literal of this many digits (no leading zero). */
    private String integer(int count) {
        return (char) ('1' + random.nextInt(9)) + digits(count - 1);
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    private String space() {
        return switch (random.nextInt(12)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            case 3 -> "\r\n";
            default -> "";
        };
    }

    private String quote(String text) {
        return quote(text, random.nextInt(3));
    }

    /**
     * A JSON string literal. Style 0: non-ASCII as UTF-8; 1: every non-ASCII code point as \\u escapes (a pair for
     * those beyond U+FFFF); 2: some of each, and '/' escaped too.
     */
    private String quote(String text, int style) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '"' || cp == '\\') {
                out.append('\\').append((char) cp);
            } else if (cp == '\n' && style != 1) {
                out.append("\\n");
            } else if (cp == '\t' && style == 2) {
                out.append("\\t");
            } else if (cp < 0x20) {
                out.append(String.format("\\u%04x", cp));
            } else if (cp == '/' && style == 2) {
                out.append("\\/");
            } else if (cp >= 0x80 && (style == 1 || style == 2 && random.nextBoolean())) {
                for (char c : Character.toChars(cp)) {
                    out.append(String.format(style == 2 ? "\\u%04X" : "\\u%04x", (int) c));
                }
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.append('"').toString();
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(out.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xFF));
        }
        return out.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
