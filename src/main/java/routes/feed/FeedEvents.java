package routes.feed;

import java.time.Instant;

import routes.drain.QueuedMessage;
import routes.model.MessageJson;
import routes.store.MessageBatch;

/** The typed events the pipeline publishes for {@code /events} clients. */
public final class FeedEvents {

    /** {@code {"type":"batch_persisted","ids":[...],"batch_size":n,"timestamp":...}}, after the batch committed. */
    public String batchPersisted(MessageBatch batch) {
        StringBuilder out = new StringBuilder(96 + batch.getSize() * 39).append("{\"type\":\"batch_persisted\",\"ids\":[");
        boolean first = true;
        for (QueuedMessage message : batch.messages()) {
            out.append(first ? "\"" : ",\"").append(message.message().messageUuid()).append('"');
            first = false;
        }
        return out.append("],\"batch_size\":").append(batch.getSize())
                .append(",\"timestamp\":\"").append(MessageJson.timestamp(Instant.ofEpochMilli(System.currentTimeMillis()))).append("\"}")
                .toString();
    }
}
