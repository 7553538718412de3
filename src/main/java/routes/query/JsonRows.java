package routes.query;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import routes.model.MessageJson;

/** Renders jdbc rows (SelectList) as a JSON array, or one object, with a writer per row. */
public final class JsonRows {

    /** Writes the fields of one row between the object's braces. */
    @FunctionalInterface
    public interface RowWriter {
        void write(JsonGenerator json, Map<String, Object> row) throws IOException;
    }

    private final JsonFactory json;

    public JsonRows(JsonFactory json) {
        this.json = json;
    }

    public String write(List<Map<String, Object>> rows, boolean asArray, RowWriter fields) {
        StringWriter out = new StringWriter(rows.size() * 320 + 2);
        try (JsonGenerator g = json.createGenerator(out)) {
            if (asArray) {
                g.writeStartArray();
            }
            for (Map<String, Object> row : rows) {
                g.writeStartObject();
                fields.write(g, row);
                g.writeEndObject();
            }
            if (asArray) {
                g.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A timestamp column as ISO-8601 UTC: epoch microseconds (exact for any date; java.sql.Timestamp shifts
     * those before 1582), or a Timestamp / OffsetDateTime as the driver returns them.
     */
    public static String timestamp(Object value) {
        if (value instanceof Number micros) {
            long us = micros.longValue();
            return MessageJson.timestamp(Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000));
        }
        if (value instanceof Timestamp ts) {
            return MessageJson.timestamp(ts.toInstant());
        }
        if (value instanceof OffsetDateTime odt) {
            return MessageJson.timestamp(odt.toInstant());
        }
        return value == null ? null : value.toString();
    }
}
