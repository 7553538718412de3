package routes.support;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polling with a deadline: the only way these tests wait, for the asynchronous drain in-process as for other
 * processes. A condition may throw an exception, which counts as "not yet", and the last one is reported if the
 * deadline passes; an AssertionError (a service died, a value that can never come right) fails at once.
 */
public final class Await {

    private static final long POLL_MILLIS = 25;

    /** Something polled; it may fail while the system is still getting there. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    private Await() {
    }

    /** Waits until {@code condition} holds; fails with {@code message} once {@code timeout} has passed. */
    public static void await(Duration timeout, Probe<Boolean> condition, String message) {
        awaitValue(timeout, condition, Boolean.TRUE::equals, message);
    }

    /** Polls {@code probe} until its value satisfies {@code accepted}, and returns that value. */
    public static <T> T awaitValue(Duration timeout, Probe<T> probe, Predicate<? super T> accepted, String message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastFailure = null;
        while (true) {
            try {
                last = probe.get();
                lastFailure = null;
                if (accepted.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError error = new AssertionError(message + " (not within " + timeout.toMillis() + " ms; last value: "
                        + last + (lastFailure == null ? "" : ", last failure: " + lastFailure) + ")");
                if (lastFailure != null) {
                    error.initCause(lastFailure);
                }
                throw error;
            }
            pause();
        }
    }

    /**
     * Checks that {@code condition} holds throughout {@code period}: the bounded observation window of a
     * "nothing happens yet" assertion.
     */
    public static void holdsFor(Duration period, Probe<Boolean> condition, String message) {
        holdsFor(period, condition, Boolean.TRUE::equals, message);
    }

    /** Checks that every value {@code probe} gives during {@code period} satisfies {@code accepted}. */
    public static <T> void holdsFor(Duration period, Probe<T> probe, Predicate<? super T> accepted, String message) {
        long end = System.nanoTime() + period.toNanos();
        do {
            T value;
            try {
                value = probe.get();
            } catch (Exception e) {
                throw new AssertionError(message + " (probe failed: " + e + ")", e);
            }
            if (!accepted.test(value)) {
                throw new AssertionError(message + " (value: " + value + ")");
            }
            pause();
        } while (System.nanoTime() - end < 0);
    }

    /**
     * Whether {@code condition} comes to hold within {@code timeout}, without failing: for a probe that retries an
     * action until its effect shows (post, then look for it a while, then post again).
     */
    public static boolean comesTrueWithin(Duration timeout, Probe<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause();
        }
    }

    /**
     * Whether {@code condition} holds at every poll during {@code period}, without failing: for a probe that waits
     * for a state to be steady rather than passing through.
     */
    public static boolean staysTrueFor(Duration period, Probe<Boolean> condition) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!Boolean.TRUE.equals(condition.get())) {
                return false;
            }
            pause();
        } while (System.nanoTime() - end < 0);
        return Boolean.TRUE.equals(condition.get());
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
