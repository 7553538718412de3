package routes.ingest;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import routes.model.ClientErrorException;

/**
 * Turns ingest away (429 with Retry-After) while more than ingest.max-queue-depth messages wait on the list, so
 * a database that cannot keep up never makes Redis memory grow without bound. The depth is read at most every
 * {@code refreshMillis}, not once per request.
 */
public final class QueueDepthGate {

    private final LongSupplier depth;
    private final long maxDepth;
    private final long refreshMillis;
    private final AtomicLong checkedAt = new AtomicLong();
    private volatile long lastDepth;

    public QueueDepthGate(LongSupplier depth, long maxDepth, long refreshMillis) {
        this.depth = depth;
        this.maxDepth = maxDepth;
        this.refreshMillis = refreshMillis;
    }

    public void check() {
        long now = System.currentTimeMillis();
        long checked = checkedAt.get();
        if (now - checked >= refreshMillis && checkedAt.compareAndSet(checked, now)) {
            lastDepth = depth.getAsLong();
        }
        if (lastDepth > maxDepth) {
            throw new ClientErrorException(429, "too many messages waiting",
                    List.of(lastDepth + " messages wait to be stored, more than ingest.max-queue-depth (" + maxDepth
                            + "); retry later"), 1);
        }
    }
}
