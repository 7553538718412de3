package routes.feed;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.model.MessageJson;
import routes.model.Principal;

/**
 * One text published on the feed channel, read at most once however many clients it goes to: what the filters
 * look at (sender, recipients, topic, type) and its typed form for {@code /events}. The text is only parsed
 * when a filter or an {@code /events} client needs it; unfiltered clients of {@code /} get it as is. Any text is
 * relayed; only a JSON object in the reference shape can match a filter.
 */
public final class FeedMessage {

    private final String text;
    private final ObjectMapper mapper;
    private boolean read;
    private boolean json;
    private String sender;
    private List<String> recipients = List.of();
    private String topic;
    private String type;
    private String event;

    private FeedMessage(String text, ObjectMapper mapper) {
        this.text = text;
        this.mapper = mapper;
    }

    public static FeedMessage read(String text, ObjectMapper mapper) {
        return new FeedMessage(text, mapper);
    }

    /** As published: what the plain stream ({@code /}) sends. */
    public String text() {
        return text;
    }

    /** {@code {"type":"message","message":<the text>}}; text that is not JSON becomes a JSON string. */
    public String event() {
        if (event == null) {
            parse();
            String message = json ? text : '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
            event = "{\"type\":\"message\",\"message\":" + message + "}";
        }
        return event;
    }

    /** Whether a client acting as this caller may see it: one of a bound key's subjects sends or receives it. */
    boolean readableBy(Principal caller) {
        if (!caller.isBoundToSubjects()) {
            return true;
        }
        parse();
        return sender != null && caller.mayRead(sender, recipients);
    }

    String sender() {
        parse();
        return sender;
    }

    List<String> recipients() {
        parse();
        return recipients;
    }

    String topic() {
        parse();
        return topic;
    }

    String type() {
        parse();
        return type;
    }

    private void parse() {
        if (read) {
            return;
        }
        read = true;
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException notJson) {
            return;
        }
        json = node != null;
        if (node == null || !node.isObject()) {
            return;
        }
        List<String> to = new ArrayList<>();
        JsonNode destinations = node.get(MessageJson.DESTINATION_SUBJECT_IDS);
        if (destinations != null && destinations.isArray()) {
            destinations.forEach(recipient -> to.add(recipient.asText()));
        }
        recipients = to;
        sender = textOf(node, MessageJson.SOURCE_SUBJECT_ID);
        topic = textOf(node, MessageJson.TOPIC);
        type = textOf(node, MessageJson.MESSAGE_TYPE);
    }

    private static String textOf(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
