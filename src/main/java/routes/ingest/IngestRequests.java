package routes.ingest;

import java.util.List;
import java.util.Locale;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

import routes.drain.RedisMessageQueue;
import routes.model.ClientErrorException;
import routes.model.LoggedMessage;
import routes.model.MessageJson;
import routes.model.Principal;
import routes.observe.PipelineMetrics;
import routes.security.Callers;

/**
 * POST /messages: checks the request, renders each message as the entry that goes onto the list, and queues
 * them. Parameters are bound by annotation: this runs for every request.
 */
public final class IngestRequests {

    private final MessageParser parser;
    private final MessageJson json;
    private final int maxMessages;
    private final RedisMessageQueue queue;
    private final PipelineMetrics metrics;
    private final String feedChannel;

    public IngestRequests(MessageParser parser, MessageJson json, int maxMessages, RedisMessageQueue queue,
                          PipelineMetrics metrics, String feedChannel) {
        this.parser = parser;
        this.json = json;
        this.maxMessages = maxMessages;
        this.queue = queue;
        this.metrics = metrics;
        this.feedChannel = feedChannel;
    }

    /** Checked before the body is read: a form body would not even arrive as bytes. */
    public void requireJson(@Header(Exchange.CONTENT_TYPE) String contentType) {
        if (!isJson(contentType)) {
            throw new ClientErrorException(415, "unsupported media type",
                    List.of("Content-Type: expected application/json, got " + (contentType == null ? "none" : "'" + contentType + "'")));
        }
    }

    public Accepted accept(@Body byte[] body, @Header(Callers.HEADER) Object user) {
        List<LoggedMessage> messages = parser.parseRequest(body, maxMessages);
        requireSenders(Callers.of(user), messages);
        List<String> entries = messages.stream().map(json::write).toList();
        return new Accepted(messages, entries, body != null && firstToken(body) == '{');
    }

    /**
     * LPUSH of all the request's entries, queued together or not at all before the 202, and each PUBLISHed on
     * the feed channel as the JSON GET /messages/{uuid} returns: one Redis round trip for both.
     */
    public Accepted enqueue(@Body Accepted accepted) {
        queue.pushAndPublish(accepted.getEntries(), feedChannel);
        metrics.accepted(accepted.getEntries().size());
        return accepted;
    }

    /** The 202: the uuid(s), and a Location for a single message. */
    public void respond(@Body Accepted accepted, Message response) {
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (accepted.getLocation() != null) {
            response.setHeader("Location", accepted.getLocation());
        }
        response.setBody(accepted.getResponse());
    }

    /** A key bound to subjects posts only messages one of its subjects sends (all or nothing, like the request). */
    private static void requireSenders(Principal caller, List<LoggedMessage> messages) {
        if (!caller.isBoundToSubjects()) {
            return;
        }
        List<String> problems = new java.util.ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String sender = messages.get(i).sourceSubjectId();
            if (!caller.mayActAs(sender)) {
                problems.add((messages.size() == 1 ? "" : "[" + i + "].") + "source_subject_id: this key may not post as '"
                        + sender + "' (it may post as " + String.join(", ", caller.subjects()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ClientErrorException(403, "forbidden", problems);
        }
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static char firstToken(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return (char) b;
            }
        }
        return ' ';
    }

    /** What a 202 answers: the uuid(s), and a Location for a single message. */
    public static final class Accepted {

        private final List<LoggedMessage> messages;
        private final List<String> entries;
        private final boolean single;

        Accepted(List<LoggedMessage> messages, List<String> entries, boolean single) {
            this.messages = messages;
            this.entries = entries;
            this.single = single;
        }

        /** The list entries, in the reference JSON shape. */
        public List<String> getEntries() {
            return entries;
        }

        public String getLocation() {
            return single ? "/messages/" + messages.get(0).messageUuid() : null;
        }

        public String getResponse() {
            if (single) {
                return "{\"status\":\"accepted\",\"message_uuid\":\"" + messages.get(0).messageUuid() + "\"}";
            }
            StringBuilder out = new StringBuilder(48 + messages.size() * 40)
                    .append("{\"status\":\"accepted\",\"count\":").append(messages.size()).append(",\"message_uuids\":[");
            for (int i = 0; i < messages.size(); i++) {
                out.append(i == 0 ? "\"" : ",\"").append(messages.get(i).messageUuid()).append('"');
            }
            return out.append("]}").toString();
        }
    }
}
