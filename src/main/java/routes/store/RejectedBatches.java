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

    public RejectedBatches(ProducerTemplate producer, DeadLetters deadLetters) {
        this.producer = producer;
        this.deadLetters = deadLetters;
    }

    /** persistUri and deadLetterUri: the routes routes.yaml names for a half and for an offender. */
    public void isolate(MessageBatch batch, Exception cause, String persistUri, String deadLetterUri) {
        if (batch.getSize() == 1) {
            producer.sendBody(deadLetterUri, deadLetters.fromRejectedBatch(batch, cause));
            return;
        }
        for (MessageBatch half : batch.getHalves()) {
            producer.sendBody(persistUri, half);
        }
    }
}
