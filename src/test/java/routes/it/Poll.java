package routes.it;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Waiting with a deadline: how these tests wait for other processes. A probe may throw an AssertionError to
 * abort at once (a service died); any other failure counts as "not yet" and is reported if the deadline passes.
 */
final class Poll {

    private static final long INTERVAL_MILLIS = 20;

    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    private Poll() {
    }

    /** Polls {@code probe} until {@code done} accepts its value and returns that value. */
    static <T> T until(Duration timeout, String what, Probe<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastFailure = null;
        while (true) {
            try {
                last = probe.get();
                lastFailure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError timedOut = new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + "; last seen: " + (lastFailure != null ? lastFailure : last));
                if (lastFailure != null) {
                    timedOut.initCause(lastFailure);
                }
                throw timedOut;
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
    }

    /** Checks {@code condition} over the whole {@code period}: for "nothing happens while ..." assertions. */
    static void holds(Duration period, String what, Probe<Boolean> condition) throws Exception {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            if (!Boolean.TRUE.equals(condition.get())) {
                throw new AssertionError("Expected for " + period.toMillis() + " ms: " + what);
            }
            Thread.sleep(INTERVAL_MILLIS * 5);
        }
    }
}
