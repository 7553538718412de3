package routes.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One entry of the Redis list, as the exact bytes a producer pushed: an entry is acknowledged by these bytes,
 * so they are never decoded and encoded again on the way (invalid UTF-8 would not survive it). {@code attempts}
 * counts the times it was taken before without ending as a row or a dead letter (given back, or recovered after
 * a crash). Equal by content, like the list itself.
 */
public final class QueueEntry {

    private final byte[] bytes;
    private final int attempts;

    public QueueEntry(byte[] bytes, int attempts) {
        this.bytes = bytes;
        this.attempts = attempts;
    }

    public static QueueEntry of(String text) {
        return new QueueEntry(text.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** The bytes as pushed; not copied, not to be changed. */
    public byte[] bytes() {
        return bytes;
    }

    public int attempts() {
        return attempts;
    }

    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueueEntry entry && Arrays.equals(bytes, entry.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** For logs and test failures: the text where it is UTF-8, cut short. */
    @Override
    public String toString() {
        String text = new String(bytes, 0, Math.min(bytes.length, 120), StandardCharsets.UTF_8);
        return bytes.length > 120 ? text + "…(" + bytes.length + " bytes)" : text;
    }
}
