package routes.store;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import routes.drain.ClaimedEntries;
import routes.drain.OpenBatch;

/**
 * Gathers the messages of each claim into a {@link MessageBatch}, remembering when its first message arrived.
 * It also tells the drain how many more messages the open batch takes, so a claim never overfills a batch:
 * every batch holds at most batch.size messages, and exactly that many while the queue has them. It is also the
 * aggregator's completion predicate (a batch is complete once it holds batch.size messages): Camel takes a
 * strategy that is a Predicate as such when the route names none, and a simple expression evaluated per claim
 * cost the drain thread a tenth of its time when claims are small.
 */
public final class BatchAggregationStrategy implements AggregationStrategy, OpenBatch, Predicate {

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

    /** Complete: the batch holds batch.size messages. */
    @Override
    public boolean matches(Exchange batchExchange) {
        return batchExchange.getMessage().getBody() instanceof MessageBatch batch && batch.getSize() >= batchSize;
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
