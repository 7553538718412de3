package routes.query;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Random hostile values for path and query parameters, from one seed so that a failure can be run again: unicode
 * text with NUL, control characters and lone surrogates; raw bytes that are rarely UTF-8; numbers far out of
 * range; base64 noise; and real cursors with a byte changed. Each value is already percent-encoded, no longer than
 * a request line can carry, and remembers what it stands for, to be shown when a request fails.
 */
final class HostileParameters {

    /** A value as sent (percent-encoded) and as generated, for the failure message. */
    record Value(String encoded, String described) {
        @Override
        public String toString() {
            return described + " (sent as " + (encoded.length() > 200 ? encoded.substring(0, 200) + "..." : encoded) + ")";
        }
    }

    /** Encoded characters of one value: with the rest of the request line well under the server's 4096 bytes. */
    private static final int MAX_ENCODED = 3000;
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String URL_SPECIALS = "%/?#&=+;.:@[]!$'()*,~ \"<>\\^`{|}";
    private static final List<String> NUMBERS = List.of("0", "-0", "-1", "1", "+1", "00001", "1.0", "1e3", "0x10", " 1", "1 ",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "NaN", "Infinity", "\uff11", "\u0661", "1\u0000", "");
    private static final long EARLIEST_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long LATEST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private final Random random;

    HostileParameters(long seed) {
        this.random = new Random(seed);
    }

    int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Any of the kinds below. */
    Value any() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> text();
            case 2 -> bytes();
            case 3 -> number();
            case 4 -> base64();
            default -> mutatedCursor();
        };
    }

    /** Unicode text: code points of every kind, NUL and lone surrogates included, sometimes very long. */
    Value text() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(10) == 0 ? between(500, 4000) : between(0, 40);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(codePoint());
        }
        return fitted(text.toString());
    }

    private int codePoint() {
        int kind = random.nextInt(100);
        if (kind < 35) {
            return between(0x20, 0x7E);
        } else if (kind < 45) {
            return URL_SPECIALS.charAt(random.nextInt(URL_SPECIALS.length()));
        } else if (kind < 55) {
            return random.nextBoolean() ? 0 : between(0, 0x1F);
        } else if (kind < 75) {
            return between(0x80, 0xFFFF);          // the whole BMP, surrogates included, alone
        } else if (kind < 85) {
            return between(0xD800, 0xDFFF);        // a lone surrogate for sure
        } else if (kind < 95) {
            return between(0x10000, 0x10FFFF);
        }
        return oneOf(List.of(0xFFFD, 0xFEFF, 0xFFFF, 0x202E, 0x0085, 0x2028));
    }

    /** Text encoded as its (generalized) UTF-8, lone surrogates as the three bytes a lax encoder writes. */
    private Value fitted(String text) {
        String encoded = encode(text);
        while (encoded.length() > MAX_ENCODED) {
            text = text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, text.length()) * 3 / 4));
            encoded = encode(text);
        }
        return new Value(encoded, "text " + escaped(text));
    }

    /** Raw bytes, each percent-encoded: mostly not UTF-8. */
    Value bytes() {
        byte[] bytes = new byte[between(1, 30)];
        random.nextBytes(bytes);
        StringBuilder encoded = new StringBuilder();
        StringBuilder hex = new StringBuilder();
        for (byte b : bytes) {
            encoded.append(String.format("%%%02X", b & 0xFF));
            hex.append(String.format("%02x", b & 0xFF));
        }
        return new Value(encoded.toString(), "bytes 0x" + hex);
    }

    /** Edge cases of number parsing, and numbers of up to 60 digits. */
    Value number() {
        String number = random.nextBoolean() ? oneOf(NUMBERS)
                : (random.nextBoolean() ? "-" : "") + new BigInteger(between(1, 200), random);
        return new Value(encode(number), "number " + escaped(number));
    }

    /** Base64url noise of any length, sometimes padded, sometimes with characters of the other alphabet. */
    Value base64() {
        StringBuilder token = new StringBuilder();
        int length = between(0, 120);
        for (int i = 0; i < length; i++) {
            token.append(random.nextInt(20) == 0 ? "+/=.%".charAt(random.nextInt(5)) : BASE64URL.charAt(random.nextInt(64)));
        }
        if (random.nextInt(4) == 0) {
            token.append(random.nextBoolean() ? "=" : "==");
        }
        return new Value(encode(token.toString()), "base64 " + escaped(token.toString()));
    }

    /** A cursor of a storable position, as the service writes it. */
    String validCursor() {
        long second = EARLIEST_SECOND + (long) (random.nextDouble() * (LATEST_SECOND - EARLIEST_SECOND));
        Instant instant = Instant.ofEpochSecond(second, random.nextBoolean() ? 0 : random.nextInt(1_000_000) * 1000L);
        String text = DateTimeFormatter.ISO_INSTANT.format(instant) + "|" + new UUID(random.nextLong(), random.nextLong());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A real cursor with one change: a byte of what it encodes, or a character of the token itself. */
    Value mutatedCursor() {
        String cursor = validCursor();
        String mutated;
        String how;
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] bytes = Base64.getUrlDecoder().decode(cursor);
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) random.nextInt(256);
                mutated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                how = "byte " + at + " set";
            }
            case 1 -> {
                int at = random.nextInt(cursor.length());
                mutated = cursor.substring(0, at) + BASE64URL.charAt(random.nextInt(64)) + cursor.substring(at + 1);
                how = "char " + at + " replaced";
            }
            case 2 -> {
                int at = random.nextInt(cursor.length());
                mutated = cursor.substring(0, at) + cursor.substring(at + 1);
                how = "char " + at + " removed";
            }
            default -> {
                byte[] bytes = Base64.getUrlDecoder().decode(cursor);
                String text = new String(bytes, StandardCharsets.UTF_8);
                String[] parts = text.split("\\|");
                text = oneOf(List.of("+10000", "-4713", "0000", "+294277", "-1000000")) + parts[0].substring(4) + "|"
                        + oneOf(List.of(parts[1], "1-2-3-4-5", parts[1].toUpperCase(), parts[1].replace("-", "")));
                mutated = Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
                how = "decoded to " + escaped(text);
            }
        }
        return new Value(encode(mutated), "cursor " + cursor + " with " + how + ": " + mutated);
    }

    /**
     * Percent-encodes every character but letters and digits, as UTF-8; a lone surrogate as the three bytes of
     * its code point (what a lax client sends), which no strict decoder takes as UTF-8.
     */
    static String encode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                bytes.write(cp);
            } else if (cp < 0x800) {
                bytes.write(0xC0 | cp >> 6);
                bytes.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                bytes.write(0xE0 | cp >> 12);
                bytes.write(0x80 | cp >> 6 & 0x3F);
                bytes.write(0x80 | cp & 0x3F);
            } else {
                bytes.write(0xF0 | cp >> 18);
                bytes.write(0x80 | cp >> 12 & 0x3F);
                bytes.write(0x80 | cp >> 6 & 0x3F);
                bytes.write(0x80 | cp & 0x3F);
            }
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : bytes.toByteArray()) {
            char c = (char) (b & 0xFF);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                encoded.append(c);
            } else {
                encoded.append(String.format("%%%02X", b & 0xFF));
            }
        }
        return encoded.toString();
    }

    /** Java-escaped, so a failure message shows NUL, surrogates and control characters for what they are. */
    static String escaped(String text) {
        StringBuilder out = new StringBuilder("\"");
        int shown = Math.min(text.length(), 120);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        out.append('"');
        if (text.length() > shown) {
            out.append(" (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
