package routes.ingest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;

/** Names the field of a JSON document that holds a given byte, for errors such as invalid UTF-8. */
final class JsonPaths {

    private JsonPaths() {
    }

    /** The field holding byte {@code offset}, e.g. {@code message_data.text} or {@code [2].topic}; "body" at top. */
    static String at(JsonFactory factory, byte[] json, int offset) {
        JsonParser parser = null;
        try {
            parser = factory.createParser(json);
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
                    parser.getText(); // decodes the whole string, so the location is past it
                }
                if (parser.currentLocation().getByteOffset() > offset) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the parser stopped at or near the byte: its context names the field
        }
        String path = parser == null ? "" : path(parser.getParsingContext());
        return path.isEmpty() ? "body" : path;
    }

    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.addFirst("." + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
