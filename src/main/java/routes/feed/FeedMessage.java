package routes.feed;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.model.MessageJson;

/**
 * One text published on the feed channel, read once however many clients it goes to: what the filters look at
 * (sender, recipients, topic, type) and its typed form for {@code /events}. Any text is relayed; only a JSON
 * object in the reference shape can match a filter.
 */
public final class FeedMessage {

    private final String text;
    private final String sender;
    private final List<String> recipients;
    private final String topic;
    private final String type;
    private final boolean json;
    private String event;

    private FeedMessage(String text, boolean json, String sender, List<String> recipients, String topic, String type) {
        this.text = text;
        this.json = json;
        this.sender = sender;
        this.recipients = recipients;
        this.topic = topic;
        this.type = type;
    }

    public static FeedMessage read(String text, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException notJson) {
            return new FeedMessage(text, false, null, List.of(), null, null);
        }
        if (node == null || !node.isObject()) {
            return new FeedMessage(text, node != null, null, List.of(), null, null);
        }
        List<String> recipients = new ArrayList<>();
        JsonNode to = node.get(MessageJson.DESTINATION_SUBJECT_IDS);
        if (to != null && to.isArray()) {
            to.forEach(recipient -> recipients.add(recipient.asText()));
        }
        return new FeedMessage(text, true, textOf(node, MessageJson.SOURCE_SUBJECT_ID), recipients,
                textOf(node, MessageJson.TOPIC), textOf(node, MessageJson.MESSAGE_TYPE));
    }

    /** As published: what the plain stream ({@code /}) sends. */
    public String text() {
        return text;
    }

    /** {@code {"type":"message","message":<the text>}}; text that is not JSON becomes a JSON string. */
    public String event() {
        if (event == null) {
            String message = json ? text : '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
            event = "{\"type\":\"message\",\"message\":" + message + "}";
        }
        return event;
    }

    String sender() {
        return sender;
    }

    List<String> recipients() {
        return recipients;
    }

    String topic() {
        return topic;
    }

    String type() {
        return type;
    }

    private static String textOf(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
