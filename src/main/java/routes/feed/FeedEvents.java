package routes.feed;

import java.time.Instant;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import routes.drain.QueuedMessage;
import routes.model.LoggedMessage;
import routes.model.MessageJson;
import routes.store.MessageBatch;

/** The typed events the pipeline publishes for {@code /events} clients. */
public final class FeedEvents {

    /**
     * Beyond this many characters of subject ids an event leaves them out: a batch of messages with huge recipient
     * lists must not make a huge event. Keys bound to subjects then get no event for that batch (see
     * {@link BatchPersistedEvent}).
     */
    static final int MAX_SUBJECT_CHARS = 256 * 1024;

    /**
     * {@code {"type":"batch_persisted","ids":[...],"batch_size":n,"timestamp":...}}, after the batch committed. On the
     * events channel it also carries {@code "subjects":[[sender, recipients...], ...]}, one array per id, so that every
     * instance can tell which ids a key bound to subjects may see; clients never receive that field.
     */
    public String batchPersisted(MessageBatch batch) {
        StringBuilder out = new StringBuilder(96 + batch.getSize() * 39).append("{\"type\":\"batch_persisted\",\"ids\":[");
        boolean first = true;
        for (QueuedMessage message : batch.messages()) {
            out.append(first ? "\"" : ",\"").append(message.message().messageUuid()).append('"');
            first = false;
        }
        out.append("],\"batch_size\":").append(batch.getSize())
                .append(",\"timestamp\":\"").append(MessageJson.timestamp(Instant.ofEpochMilli(System.currentTimeMillis()))).append('"');
        String subjects = subjects(batch);
        if (subjects != null) {
            out.append(",\"subjects\":").append(subjects);
        }
        return out.append('}').toString();
    }

    private static String subjects(MessageBatch batch) {
        StringBuilder out = new StringBuilder(batch.getSize() * 32).append('[');
        for (QueuedMessage queued : batch.messages()) {
            LoggedMessage message = queued.message();
            out.append(out.length() == 1 ? "[" : ",[");
            quote(out, message.sourceSubjectId());
            for (String recipient : message.destinationSubjectIds()) {
                quote(out.append(','), recipient);
            }
            out.append(']');
            if (out.length() > MAX_SUBJECT_CHARS) {
                return null;
            }
        }
        return out.append(']').toString();
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }
}
