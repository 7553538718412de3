package routes.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Tells whether the drain is stalled: messages wait (on the list or claimed) and nothing has been committed or
 * dead-lettered for the stall timeout. A drain that fails on every claim keeps ingest answering 202 while nothing
 * is stored; this is what makes that visible (readiness, /stats).
 *
 * <p>It is told of progress and failures as they happen, and asked with the queue depth its caller has just read
 * (the readiness check and /stats each read it once). The clock starts when messages are first seen waiting, so a
 * message arriving after a quiet hour is not stalled on arrival. Its reason is a best guess, in this order: the
 * drain route paused by an operator; Redis not answering now; the most recent failure seen since the last
 * progress (database or Redis unreachable, entries failing); else no progress.
 */
public final class DrainStall {

    public static final String SUSPENDED = "suspended by an operator";
    public static final String REDIS_UNREACHABLE = "redis unreachable";
    public static final String DATABASE_UNREACHABLE = "database unreachable";
    public static final String ENTRIES_FAILING = "entries failing";
    public static final String NO_PROGRESS = "no progress";

    public enum State {
        DRAINING, IDLE, STALLED;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What was observed. {@code reason} and {@code problem} (the last failure's text, when one explains the reason)
     * are null unless stalled; {@code quietFor} is how long messages have waited with no progress;
     * {@code lastProgress} is null until the first commit or dead letter.
     */
    public record Status(State state, String reason, String problem, Duration quietFor, Instant lastProgress) {

        public boolean stalled() {
            return state == State.STALLED;
        }
    }

    private record Failure(String reason, String problem, long atMillis) {
    }

    private final Duration timeout;
    private final Clock clock;
    private final BooleanSupplier drainPaused;

    private volatile long lastProgressMillis = -1;
    private volatile Failure lastFailure;
    /** Guarded by this: when messages were first seen waiting (-1 while none are), and the depth last read. */
    private long busySinceMillis = -1;
    private long lastKnownDepth;

    /** {@code drainPaused}: the drain route is suspended, stopped or gone (asked only when stalled). */
    public DrainStall(Duration timeout, Clock clock, BooleanSupplier drainPaused) {
        this.timeout = timeout;
        this.clock = clock;
        this.drainPaused = drainPaused;
    }

    /** A batch committed or a dead letter was kept. */
    public void progressed() {
        lastProgressMillis = clock.millis();
    }

    /** A claim failed in the route and went back, or an entry could not be read. */
    public void entriesFailing(String problem) {
        failed(ENTRIES_FAILING, problem);
    }

    public void databaseUnreachable(String problem) {
        failed(DATABASE_UNREACHABLE, problem);
    }

    public void redisUnreachable(String problem) {
        failed(REDIS_UNREACHABLE, problem);
    }

    private void failed(String reason, String problem) {
        lastFailure = new Failure(reason, problem, clock.millis());
    }

    /** {@code depth}: messages waiting plus in flight, just read; null when Redis did not answer. */
    public synchronized Status observe(Long depth) {
        long now = clock.millis();
        if (depth != null) {
            lastKnownDepth = depth;
        }
        long lastProgress = lastProgressMillis;
        Instant progressAt = lastProgress < 0 ? null : Instant.ofEpochMilli(lastProgress);
        if (lastKnownDepth == 0) {
            busySinceMillis = -1;
            return new Status(State.IDLE, null, null, Duration.ZERO, progressAt);
        }
        if (busySinceMillis < 0) {
            busySinceMillis = now;
        }
        long quietSince = Math.max(busySinceMillis, lastProgress);
        Duration quietFor = Duration.ofMillis(now - quietSince);
        if (quietFor.compareTo(timeout) < 0) {
            return new Status(State.DRAINING, null, null, quietFor, progressAt);
        }
        Failure failure = recentFailure(now, lastProgress);
        String reason;
        if (drainPaused.getAsBoolean()) {
            reason = SUSPENDED;
            failure = null;
        } else if (depth == null) {
            reason = REDIS_UNREACHABLE;
            failure = failure != null && failure.reason().equals(REDIS_UNREACHABLE) ? failure : null;
        } else {
            reason = failure == null ? NO_PROGRESS : failure.reason();
        }
        return new Status(State.STALLED, reason, failure == null ? null : failure.problem(), quietFor, progressAt);
    }

    /**
     * The last failure, if it came after the last progress and within two stall timeouts: long enough to span
     * the retry schedule's waits during an outage, short enough not to blame a blip from long ago.
     */
    private Failure recentFailure(long now, long lastProgress) {
        Failure failure = lastFailure;
        if (failure == null || failure.atMillis() <= lastProgress || now - failure.atMillis() > 2 * timeout.toMillis()) {
            return null;
        }
        return failure;
    }
}
