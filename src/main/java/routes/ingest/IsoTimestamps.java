package routes.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 timestamps with an offset, as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} reads them. The common
 * shape, {@code 2025-05-27T10:30:00[.fraction](Z|+hh:mm)}, is read directly (java.time still checks every
 * field); anything else goes to the formatter. Profiling the drain and ingest showed the formatter alone at
 * about 8 % of the service's CPU: every message carries one or two timestamps.
 */
final class IsoTimestamps {

    private IsoTimestamps() {
    }

    /** The instant, or a {@link DateTimeException} when the text is not such a timestamp. */
    static Instant parse(String text) {
        Instant fast = common(text);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /**
     * For a text {@link #parse} accepted: true when it is in the common shape with at most six fraction digits,
     * which PostgreSQL's timestamptz reads to the very instant we do (we truncate a seventh digit and beyond,
     * PostgreSQL rounds). Only the shape is looked at: parse already checked the values.
     */
    static boolean isCommonToMicros(String accepted) {
        int n = accepted.length();
        if (!hasDateTimeSeparators(accepted)) {
            return false;
        }
        int i = 19;
        if (accepted.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(accepted.charAt(i))) {
                i++;
            }
            if (i - 20 > 6) {
                return false;
            }
        }
        // java.time takes offsets to 18:00, PostgreSQL to 15:59: beyond, the text is written again in UTC
        return i == n - 1 && accepted.charAt(i) == 'Z'
                || i == n - 6 && (accepted.charAt(i) == '+' || accepted.charAt(i) == '-') && accepted.charAt(i + 3) == ':'
                && accepted.charAt(i + 1) <= '1' && (accepted.charAt(i + 1) == '0' || accepted.charAt(i + 2) <= '5');
    }

    /** Null when the text is not in the common shape (the formatter then decides). */
    private static Instant common(String t) {
        int n = t.length();
        if (!hasDateTimeSeparators(t)) {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(t.charAt(i))) {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            int length = i - start;
            if (length == 0 || (i < n && isDigit(t.charAt(i)))) {
                return null;
            }
            for (int k = length; k < 9; k++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int hours = digits(t, i + 1, i + 3);
            int minutes = digits(t, i + 4, i + 6);
            if ((hours | minutes) < 0) {
                return null;
            }
            int sign = t.charAt(i) == '-' ? -1 : 1;
            offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
        } else {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} and at least one character more, by its separators. */
    private static boolean hasDateTimeSeparators(String t) {
        return t.length() >= 20 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
                && t.charAt(16) == ':';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number written in t[from, to), or -1 when a character is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
