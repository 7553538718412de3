package routes.query;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import routes.model.ClientErrorException;
import routes.model.UuidText;

/**
 * The checks every path and query parameter of the query and dead-letter endpoints passes before it becomes an
 * SQL parameter, so that what PostgreSQL would refuse (a NUL character, a number out of range, ...) is a 400 that
 * names the parameter, never a 500.
 */
public final class RequestParameters {

    /**
     * UTF-8 bytes of a text parameter (a subject id, a reason). Ingest sets no length of its own, but a request line
     * holds 4096 bytes, so no longer subject could be asked for anyway.
     */
    public static final int MAX_TEXT_BYTES = 4096;
    /** Characters of a parameter echoed back in an error detail. */
    private static final int SHOWN_CHARS = 60;
    /** Prefixes of request headers that would steer camel-jdbc, camel-sql or the HTTP answer: see {@link #dropSteeringHeaders}. */
    private static final List<String> STEERING_PREFIXES =
            List.of("cameljdbc", "camelsql", "camelgenerated", "camelretrievegeneratedkeys", "camelhttpresponse");
    private static final String RAW_URI = "CamelHttpUri";

    private RequestParameters() {
    }

    /** One value as text; null when absent or empty. A parameter given more than once is refused. */
    public static String single(String name, Object raw) {
        if (raw instanceof Collection<?> values) {
            if (values.isEmpty()) {
                return null;
            }
            if (values.size() > 1) {
                throw ClientErrorException.badRequest("invalid " + name, List.of(name + ": given " + values.size() + " times, at most once"));
            }
            raw = values.iterator().next();
        }
        return raw == null || raw.toString().isEmpty() ? null : raw.toString();
    }

    /**
     * Text as PostgreSQL can compare it with what it stored: no NUL character, no lone surrogate, at most
     * {@link #MAX_TEXT_BYTES} bytes of UTF-8. Null when absent or empty.
     */
    public static String text(String name, Object raw) {
        String text = single(name, raw);
        if (text == null) {
            return null;
        }
        String problem = textProblem(text);
        if (problem != null) {
            throw ClientErrorException.badRequest("invalid " + name, List.of(name + ": " + problem));
        }
        return text;
    }

    /** What makes text impossible to store, or null. */
    static String textProblem(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (\\u0000), which no stored value can contain";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains a lone UTF-16 surrogate (\\u" + hex(c) + "), which is not Unicode text";
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
            if (bytes > MAX_TEXT_BYTES) {
                return "longer than " + MAX_TEXT_BYTES + " bytes of UTF-8";
            }
        }
        return null;
    }

    /** A whole number written in ASCII digits (an optional '-' first) from min to max, or null when absent. */
    public static Long wholeNumber(String name, Object raw, long min, long max) {
        String text = single(name, raw);
        if (text == null) {
            return null;
        }
        Long value = parseWholeNumber(text);
        if (value == null || value < min || value > max) {
            String range = max == Long.MAX_VALUE && min == 1 ? "a positive whole number" : "a whole number from " + min + " to " + max;
            throw ClientErrorException.badRequest("invalid " + name, List.of(name + ": must be " + range + ", got " + shown(text)));
        }
        return value;
    }

    /**
     * A long written in ASCII digits, an optional '-' first; null when it is not one. Long.parseLong alone also
     * takes '+' and the digits of other scripts, which no link of ours contains.
     */
    public static Long parseWholeNumber(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() > start + 19) {
            return null;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null; // 19 digits over Long.MAX_VALUE
        }
    }

    /**
     * Refuses a request whose path, or one of the query parameters we read, is not UTF-8 once percent-decoded (%FF,
     * %C0%AF, an encoded surrogate): the HTTP server puts U+FFFD in the place of such bytes, and we would answer for
     * another value than the one asked for. {@code pathParameter} (null: none) names what a bad path is reported as.
     */
    public static void requireUtf8(Map<String, Object> headers, String pathParameter, String... queryParameters) {
        Object uri = headers.get(RAW_URI);
        if (uri == null) {
            return;
        }
        String raw = uri.toString();
        int query = raw.indexOf('?');
        if (pathParameter != null && !isUtf8(query < 0 ? raw : raw.substring(0, query))) {
            throw notUtf8(pathParameter);
        }
        if (query < 0 || queryParameters.length == 0) {
            return;
        }
        for (String pair : raw.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (equals >= 0 && List.of(queryParameters).contains(name) && !isUtf8(pair.substring(equals + 1))) {
                throw notUtf8(name);
            }
        }
    }

    private static ClientErrorException notUtf8(String name) {
        return ClientErrorException.badRequest("invalid " + name,
                List.of(name + ": its percent-encoded bytes are not UTF-8 text"));
    }

    /** Whether a raw URI part decodes to UTF-8 without a malformed byte (chars above 0x7F count as Latin-1 bytes). */
    static boolean isUtf8(String raw) {
        byte[] bytes = percentDecode(raw);
        if (bytes == null) {
            return false;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A raw query parameter name as the HTTP server decodes it ('+' is a space). */
    private static String decode(String raw) {
        byte[] bytes = percentDecode(raw.replace('+', ' '));
        return bytes == null ? raw : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The bytes a raw URI part stands for; null when a '%' is not followed by two hex digits. */
    private static byte[] percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c > 0xFF) {
                return null;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Removes request headers named like the Camel headers that steer camel-jdbc or camel-sql (CamelJdbcParameters,
     * CamelSqlQuery, ...) or set the HTTP status (CamelHttpResponseCode): every request header reaches the routes (see
     * routes.http.ResponseHeaders), and a client's "?CamelSqlQuery=..." must not reach the database.
     */
    public static void dropSteeringHeaders(Map<String, Object> headers) {
        headers.keySet().removeIf(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            return STEERING_PREFIXES.stream().anyMatch(lower::startsWith);
        });
    }

    /** A client's value as an error detail shows it: quoted, control characters escaped, cut after 60 chars. */
    public static String shown(String value) {
        StringBuilder out = new StringBuilder("'");
        int end = Math.min(value.length(), SHOWN_CHARS);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
                out.append(c).append(value.charAt(++i));
            } else if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                out.append("\\u").append(hex(c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (value.length() > end) {
            out.append(" (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    private static String hex(char c) {
        return String.format("%04x", (int) c);
    }
}
