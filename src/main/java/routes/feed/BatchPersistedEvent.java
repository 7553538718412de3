package routes.feed;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import routes.model.Principal;

/**
 * A batch_persisted event as it comes from the events channel (see {@link FeedEvents}), read once for all clients:
 * as is, less its subjects, for clients that may see everything; with only the ids it may read (and batch_size their
 * count) for a key bound to subjects, or nothing when there are none, or when the event does not say who takes part.
 */
final class BatchPersistedEvent {

    private final ObjectMapper mapper;
    private final ObjectNode event;
    private final List<String> ids = new ArrayList<>();
    /** One entry per id: the sender, then the recipients; null when the event does not carry them. */
    private final List<List<String>> subjects;
    private String forEveryone;

    private BatchPersistedEvent(ObjectMapper mapper, ObjectNode event, List<List<String>> subjects) {
        this.mapper = mapper;
        this.event = event;
        this.subjects = subjects;
        event.path("ids").forEach(id -> ids.add(id.asText()));
    }

    /** The event, or null when the text is no batch_persisted event. */
    static BatchPersistedEvent read(String text, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
        if (node == null || !node.isObject() || !"batch_persisted".equals(node.path("type").asText())
                || !node.path("ids").isArray()) {
            return null;
        }
        ObjectNode event = (ObjectNode) node;
        JsonNode subjectNodes = event.remove("subjects");
        List<List<String>> subjects = null;
        if (subjectNodes != null && subjectNodes.isArray() && subjectNodes.size() == event.path("ids").size()) {
            subjects = new ArrayList<>();
            for (JsonNode parties : subjectNodes) {
                List<String> names = new ArrayList<>();
                parties.forEach(name -> names.add(name.asText()));
                subjects.add(names);
            }
        }
        return new BatchPersistedEvent(mapper, event, subjects);
    }

    /** The frame for a client acting as this caller, or null when it gets none. */
    String frameFor(Principal caller) {
        if (!caller.isBoundToSubjects()) {
            if (forEveryone == null) {
                forEveryone = write(event);
            }
            return forEveryone;
        }
        if (subjects == null) {
            return null;
        }
        ArrayNode readable = mapper.createArrayNode();
        for (int i = 0; i < ids.size(); i++) {
            List<String> parties = subjects.get(i);
            if (!parties.isEmpty() && caller.mayRead(parties.get(0), parties.subList(1, parties.size()))) {
                readable.add(ids.get(i));
            }
        }
        if (readable.isEmpty()) {
            return null;
        }
        ObjectNode filtered = event.deepCopy();
        filtered.set("ids", readable);
        filtered.put("batch_size", readable.size());
        return write(filtered);
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
