package routes.support;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polling with a deadline: the only way these tests wait for the asynchronous drain. A condition may throw;
 * the last failure is reported if the deadline passes.
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

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
