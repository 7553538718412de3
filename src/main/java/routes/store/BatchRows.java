package routes.store;

import routes.drain.QueuedMessage;
import routes.model.MessageJson;

/**
 * The whole batch as one JSON array: the single parameter of the bulk insert (jsonb_to_recordset), so a
 * batch of any size is one statement and one round trip with no bind-parameter limit. An entry the database
 * reads exactly as we parsed it goes in as its own text; only the others are written again (profiling the
 * drain showed writing every message again at about a sixth of the service's CPU).
 */
public final class BatchRows {

    private final MessageJson json;

    public BatchRows(MessageJson json) {
        this.json = json;
    }

    public String toJson(MessageBatch batch) {
        StringBuilder rows = new StringBuilder(batch.getSize() * 400).append('[');
        for (QueuedMessage message : batch.messages()) {
            if (rows.length() > 1) {
                rows.append(',');
            }
            rows.append(message.asWritten() != null ? message.asWritten() : json.write(message.message()));
        }
        return rows.append(']').toString();
    }
}
