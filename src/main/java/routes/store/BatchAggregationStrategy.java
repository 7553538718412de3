package routes.store;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import routes.drain.ClaimedEntries;
import routes.drain.OpenBatch;

/**
 * Gathers the messages of each claim into a {@link MessageBatch}, remembering when its first message arrived.
 * It also tells the drain how many more messages the open batch takes, so a claim never overfills a batch:
 * every batch holds at most batch.size messages, and exactly that many while the queue has them.
 */
public final class BatchAggregationStrategy implements AggregationStrategy, OpenBatch {

    private final int batchSize;
    /** The batch being gathered; null once it completed. Written under the aggregator's lock. */
    private volatile MessageBatch open;

    public BatchAggregationStrategy(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public Exchange aggregate(Exchange batchExchange, Exchange next) {
        ClaimedEntries claimed = next.getMessage().getBody(ClaimedEntries.class);
        if (batchExchange == null) {
            MessageBatch batch = new MessageBatch(System.currentTimeMillis());
            batch.addAll(claimed.getMessages());
            next.getMessage().setBody(batch);
            open = batch;
            return next;
        }
        batchExchange.getMessage().getBody(MessageBatch.class).addAll(claimed.getMessages());
        return batchExchange;
    }

    @Override
    public void onCompletion(Exchange batchExchange) {
        if (open == batchExchange.getMessage().getBody()) {
            open = null;
        }
    }

    /**
     * Only the drain's thread adds to a batch, so the room it reads can only grow meanwhile (when the batch
     * completes on time).
     */
    @Override
    public int room() {
        MessageBatch batch = open;
        return batch == null ? batchSize : Math.max(0, batchSize - batch.getSize());
    }
}
