package routes.security;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

import routes.model.ClientErrorException;
import routes.model.Principal;
import routes.model.Scope;
import routes.model.UnicodeText;

/** POST /keys, GET /keys, DELETE /keys/{id}: admin scope (see AccessRules). */
public final class KeyApi {

    private static final int MAX_NAME = 200;
    private static final int MAX_SUBJECTS = 1000;

    private final ApiKeys keys;
    private final ObjectMapper mapper;

    public KeyApi(ApiKeys keys, ObjectMapper mapper) {
        this.keys = keys;
        this.mapper = mapper;
    }

    /**
     * {"name": "...", "scopes": ["ingest", "read"], "subjects": ["agent-a"]} → 201 with the key, shown this once.
     * A caller bound to subjects can only make keys bound to some of its own subjects.
     */
    public void create(@Body byte[] body, @Header(Callers.HEADER) Object user, Message response) throws SQLException {
        Principal caller = Callers.of(user);
        JsonNode request = read(body);
        List<String> problems = new ArrayList<>();
        String name = request.path("name").isTextual() ? request.get("name").asText() : null;
        if (name == null || name.isBlank() || name.length() > MAX_NAME || UnicodeText.problem(name) != null) {
            problems.add("name: required, a non-empty string of at most " + MAX_NAME + " characters");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        JsonNode scopeNodes = request.get("scopes");
        if (scopeNodes == null || !scopeNodes.isArray() || scopeNodes.isEmpty()) {
            problems.add("scopes: required, a non-empty array of ingest, read, subscribe, admin");
        } else {
            for (JsonNode scope : scopeNodes) {
                Scope known = scope.isTextual() ? Scope.of(scope.asText()) : null;
                if (known == null) {
                    problems.add("scopes: unknown scope " + scope + " (known: ingest, read, subscribe, admin)");
                } else {
                    scopes.add(known);
                }
            }
        }
        Set<String> subjects = subjects(request.get("subjects"), problems);
        if (caller.isBoundToSubjects() && (subjects == null || !caller.subjects().containsAll(subjects))) {
            throw new ClientErrorException(403, "forbidden",
                    List.of("subjects: a key bound to subjects can only make keys bound to some of its own subjects"));
        }
        for (java.util.Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!Set.of("name", "scopes", "subjects").contains(field)) {
                problems.add(field + ": unknown field (known: name, scopes, subjects)");
            }
        }
        if (!problems.isEmpty()) {
            throw ClientErrorException.badRequest("invalid key request", problems);
        }
        ApiKeys.Created created = keys.create(name, scopes, subjects, caller);
        Map<String, Object> answer = describe(created.principal());
        answer.put("created_at", created.createdAt().toString());
        answer.put("created_by", caller.keyId());
        answer.put("key", created.token());
        answer.put("note", "the key is shown this once; keep it secret, send it as Authorization: Bearer <key>");
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        response.setHeader("Location", "/keys/" + created.principal().keyId());
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        response.setBody(write(answer));
    }

    public String list() throws SQLException {
        return write(keys.list());
    }

    public String revoke(@Header("id") String id) throws SQLException {
        if (ApiKeys.BOOTSTRAP_ID.equals(id)) {
            throw ClientErrorException.badRequest("cannot revoke",
                    List.of("id: the bootstrap key is not stored; remove security.admin-key (SECURITY_ADMIN_KEY) and restart"));
        }
        if (id == null || !id.matches("[0-9a-f]{16}") || !keys.revoke(id)) {
            throw ClientErrorException.notFound("no key with id " + id);
        }
        return "{\"id\":\"" + id + "\",\"revoked\":true}";
    }

    private static Map<String, Object> describe(Principal principal) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", principal.keyId());
        row.put("name", principal.name());
        row.put("scopes", principal.scopes().stream().map(Scope::wireName).toList());
        row.put("subjects", principal.subjects() == null ? null : List.copyOf(principal.subjects()));
        return row;
    }

    private static Set<String> subjects(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_SUBJECTS) {
            problems.add("subjects: when given, a non-empty array of at most " + MAX_SUBJECTS + " subject ids");
            return null;
        }
        Set<String> subjects = new LinkedHashSet<>();
        for (JsonNode subject : node) {
            if (!subject.isTextual() || subject.asText().isEmpty() || UnicodeText.problem(subject.asText()) != null) {
                problems.add("subjects: each must be a non-empty string, got " + subject);
            } else {
                subjects.add(subject.asText());
            }
        }
        return subjects;
    }

    private JsonNode read(byte[] body) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw ClientErrorException.badRequest("invalid key request", List.of("body: a JSON object is expected"));
            }
            return node;
        } catch (IOException e) {
            throw ClientErrorException.badRequest("malformed JSON", List.of("body: " + e.getMessage()));
        }
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
