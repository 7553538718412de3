package routes.support;

import java.util.UUID;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Messages for tests, each with its own subjects so a test's queries see only its own rows. */
public final class Messages {

    private Messages() {
    }

    /** A subject id no other test uses. */
    public static String uniqueSubject(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** A message with every field set; timestamps in two of the accepted forms (offset and epoch seconds). */
    public static ObjectNode complete(String source, String... recipients) {
        ObjectNode message = minimal(source, recipients);
        message.put("message_uuid", UUID.randomUUID().toString());
        message.put("origin_ts", "2025-05-27T12:30:00.123456+02:00");
        message.put("ack_ts", 1748341801.5);
        message.put("topic", "greetings");
        message.put("message_type", "chat");
        message.set("message_metadata", Json.parse("{\"priority\":\"high\",\"tags\":[\"a\",\"b\"],\"retries\":0}"));
        return message;
    }

    /** Only the required fields: message_data, source_subject_id, destination_subject_ids. */
    public static ObjectNode minimal(String source, String... recipients) {
        ObjectNode message = Json.object();
        message.set("message_data", Json.parse("{\"text\":\"hello \\u00e9\\u4e16\",\"n\":42,\"ratio\":3.25,\"ok\":true,"
                + "\"nested\":{\"list\":[1,\"two\",null,{\"three\":3}]}}"));
        message.put("source_subject_id", source);
        ArrayNode to = message.putArray("destination_subject_ids");
        for (String recipient : recipients) {
            to.add(recipient);
        }
        return message;
    }

    /** A message that is stored as soon as its batch is written: a marker that everything pushed before it was drained. */
    public static ObjectNode marker() {
        ObjectNode message = minimal(uniqueSubject("marker"), "nobody");
        message.put("message_uuid", UUID.randomUUID().toString());
        return message;
    }
}
