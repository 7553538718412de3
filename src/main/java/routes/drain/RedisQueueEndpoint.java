package routes.drain;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** The consuming end of a Redis list; see {@link RedisQueueComponent}. */
public final class RedisQueueEndpoint extends DefaultEndpoint {

    private final RedisMessageQueue queue;
    private int claimSize = 500;
    private long waitMillis = 500;
    private long tricklePauseMillis = 10;
    private OpenBatch openBatch = () -> Integer.MAX_VALUE;

    RedisQueueEndpoint(String uri, RedisQueueComponent component, RedisMessageQueue queue) {
        super(uri, component);
        this.queue = queue;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RedisQueueConsumer consumer = new RedisQueueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("redis-queue only consumes; push with the RedisMessageQueue bean");
    }

    RedisMessageQueue queue() {
        return queue;
    }

    public int getClaimSize() {
        return claimSize;
    }

    /** Entries claimed per round trip to Redis. */
    public void setClaimSize(int claimSize) {
        this.claimSize = Math.min(claimSize, 1000);
    }

    public long getWaitMillis() {
        return waitMillis;
    }

    public long getTricklePauseMillis() {
        return tricklePauseMillis;
    }

    /**
     * After a claim that found fewer entries than it asked for, how long to let new ones gather before the next
     * claim (milliseconds). It delays a message by at most that much on its way into the batch.
     */
    public void setTricklePauseMillis(long tricklePauseMillis) {
        this.tricklePauseMillis = tricklePauseMillis;
    }

    public OpenBatch getOpenBatch() {
        return openBatch;
    }

    /** The aggregator's open batch ({@code openBatch=#bean}): a claim takes no more than it still holds. */
    public void setOpenBatch(OpenBatch openBatch) {
        this.openBatch = openBatch;
    }

    /** How long one blocking wait on an empty queue lasts (it returns at once when a message arrives). */
    public void setWaitMillis(long waitMillis) {
        this.waitMillis = waitMillis;
    }
}
