package routes.store;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import routes.drain.QueuedMessage;

/** Gathers claimed messages into a {@link MessageBatch}, remembering when its first message arrived. */
public final class BatchAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange batchExchange, Exchange next) {
        QueuedMessage message = next.getMessage().getBody(QueuedMessage.class);
        if (batchExchange == null) {
            MessageBatch batch = new MessageBatch(System.currentTimeMillis());
            batch.add(message);
            next.getMessage().setBody(batch);
            return next;
        }
        batchExchange.getMessage().getBody(MessageBatch.class).add(message);
        return batchExchange;
    }
}
