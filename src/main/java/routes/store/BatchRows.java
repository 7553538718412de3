package routes.store;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.drain.QueuedMessage;
import routes.model.MessageJson;

/**
 * The whole batch as one JSON array: the single parameter of the bulk insert (jsonb_to_recordset), so a
 * batch of any size is one statement and one round trip with no bind-parameter limit.
 */
public final class BatchRows {

    private final ObjectMapper mapper;
    private final MessageJson json;

    public BatchRows(ObjectMapper mapper, MessageJson json) {
        this.mapper = mapper;
        this.json = json;
    }

    public String toJson(MessageBatch batch) {
        StringWriter out = new StringWriter(batch.getSize() * 320);
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
            generator.writeStartArray();
            for (QueuedMessage message : batch.messages()) {
                json.write(generator, message.message());
            }
            generator.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
