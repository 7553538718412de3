package routes.store;

import java.time.Clock;
import java.time.Duration;

/**
 * The aggregator's completion timeout. Camel evaluates it after each aggregation: when a batch starts, on the
 * new batch (answer: batch.interval); when a message joins a batch, on that message (answer: null, which leaves
 * the deadline where it is). So the deadline is fixed by the FIRST message, and a steady trickle cannot
 * postpone the write the way a plain completionTimeout (an inactivity timeout) would.
 */
public final class BatchWindow {

    private final Duration interval;
    private final Clock clock;

    public BatchWindow(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    public Long remainingMillis(Object body) {
        if (!(body instanceof MessageBatch batch)) {
            return null;
        }
        long waited = clock.millis() - batch.startedAtMillis();
        return Math.max(1, interval.toMillis() - waited);
    }
}
