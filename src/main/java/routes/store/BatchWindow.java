package routes.store;

import java.time.Clock;
import java.time.Duration;

/**
 * The aggregator's completion timeout, evaluated on the growing batch each time a message joins. Answering
 * with the time left since the FIRST message makes the deadline fixed, so a steady trickle cannot postpone
 * the write the way a plain (inactivity) completionTimeout would.
 */
public final class BatchWindow {

    private final Duration interval;
    private final Clock clock;

    public BatchWindow(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    public long remainingMillis(MessageBatch batch) {
        long waited = clock.millis() - batch.startedAtMillis();
        return Math.max(1, interval.toMillis() - waited);
    }
}
