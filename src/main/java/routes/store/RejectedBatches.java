package routes.store;

import org.apache.camel.ProducerTemplate;

import routes.deadletters.DeadLetters;

/**
 * A batch the database refused for a data reason: cut in halves until the offending messages are alone, so
 * every other message is stored and each offender becomes a dead letter. Halves are sent as NEW exchanges,
 * because Camel gives no error handling (retries, this isolation) to exchanges created while an error is being
 * handled, and a half can itself hit an outage or hold another offender.
 */
public final class RejectedBatches {

    private final ProducerTemplate producer;
    private final DeadLetters deadLetters;
    private final String persistUri;
    private final String deadLetterUri;

    public RejectedBatches(ProducerTemplate producer, DeadLetters deadLetters, String persistUri, String deadLetterUri) {
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.persistUri = persistUri;
        this.deadLetterUri = deadLetterUri;
    }

    public void isolate(MessageBatch batch, Exception cause) {
        if (batch.getSize() == 1) {
            producer.sendBody(deadLetterUri, deadLetters.fromRejectedBatch(batch, cause));
            return;
        }
        for (MessageBatch half : batch.getHalves()) {
            producer.sendBody(persistUri, half);
        }
    }
}
