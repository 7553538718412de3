package routes.deadletters;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.camel.Headers;

import routes.ingest.MessageParser;
import routes.model.ClientErrorException;
import routes.model.LoggedMessage;
import routes.model.MessageJson;
import routes.query.JsonRows;
import routes.query.PageLimit;
import routes.query.RequestParameters;

/**
 * The /dead-letters endpoints: checks requests into SQL parameters (headers read by the jdbc endpoint), renders
 * rows, and decides which dead letters a replay can put back on the queue.
 */
public final class DeadLetterApi {

    private static final String ID = "id";
    private static final String LIMIT = "limit";
    private static final String CURSOR = "cursor";
    private static final String REASON = "reason";
    /** SQL parameter names, as written in queries/*dead-letter*.sql and settle-replays.sql. */
    private static final String ID_PARAM = "dl_id";
    private static final String REASON_PARAM = "dl_reason";
    private static final String BEFORE_PARAM = "dl_before";
    private static final String ROWS_PARAM = "dl_rows";
    private static final String REPLAYED_PARAM = "dl_replayed";
    private static final String FAILED_PARAM = "dl_failed";
    /** Dead letters one replay request handles at most; call again for the rest. */
    private static final int REPLAY_CHUNK = 1000;

    private final JsonFactory json;
    private final JsonRows rowsJson;
    private final MessageParser parser;
    private final MessageJson messages;
    private final PageLimit limits;

    public DeadLetterApi(JsonFactory json, MessageParser parser, MessageJson messages, int defaultLimit, int maxLimit) {
        this.json = json;
        this.rowsJson = new JsonRows(json);
        this.parser = parser;
        this.messages = messages;
        this.limits = new PageLimit(defaultLimit, maxLimit);
    }

    /** GET /dead-letters?limit=&cursor=&reason= */
    public void prepareList(@Headers Map<String, Object> headers) {
        RequestParameters.dropSteeringHeaders(headers);
        RequestParameters.requireUtf8(headers, null, REASON);
        int limit = limits.parse(headers.get(LIMIT));
        headers.put(ROWS_PARAM, limit + 1);
        headers.put(BEFORE_PARAM, cursor(headers.get(CURSOR)));
        headers.put(REASON_PARAM, emptyToNull(headers.get(REASON)));
    }

    public String renderList(List<Map<String, Object>> rows, @Headers Map<String, Object> headers) {
        int limit = ((Number) headers.get(ROWS_PARAM)).intValue() - 1;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            String next = "/dead-letters?limit=" + limit + "&cursor=" + rows.get(limit - 1).get(ID);
            Object reason = headers.get(REASON_PARAM);
            if (reason != null) {
                next += "&reason=" + URLEncoder.encode(reason.toString(), StandardCharsets.UTF_8).replace("+", "%20");
            }
            headers.put("Link", "<" + next + ">; rel=\"next\"");
        }
        return write(rows, true);
    }

    /** /dead-letters/{id} */
    public void prepareOne(@Headers Map<String, Object> headers) {
        RequestParameters.dropSteeringHeaders(headers);
        headers.put(ID_PARAM, id(headers.get(ID)));
        headers.put(REASON_PARAM, null);
        headers.put(ROWS_PARAM, 1);
    }

    /** POST /dead-letters/replay?reason= and DELETE /dead-letters?reason= */
    public void prepareAll(@Headers Map<String, Object> headers) {
        RequestParameters.dropSteeringHeaders(headers);
        RequestParameters.requireUtf8(headers, null, REASON);
        headers.put(ID_PARAM, null);
        headers.put(REASON_PARAM, emptyToNull(headers.get(REASON)));
        headers.put(ROWS_PARAM, REPLAY_CHUNK);
    }

    public String renderOne(List<Map<String, Object>> rows, @Headers Map<String, Object> headers) {
        if (rows.isEmpty()) {
            throw ClientErrorException.notFound("no dead letter with id " + headers.get(ID_PARAM));
        }
        return write(rows, false);
    }

    /**
     * Validates each selected dead letter again (or, for one given id, the corrected payload sent with the replay). Valid ones will be pushed (their entries) and marked replayed;
     * the others count one more attempt. A replay of one given id that is not pending is a 404.
     */
    public Replay replay(List<Map<String, Object>> rows, Map<String, Object> headers, byte[] correctedPayload) {
        if (rows.isEmpty() && headers.get(ID_PARAM) != null) {
            throw ClientErrorException.notFound("no pending dead letter with id " + headers.get(ID_PARAM));
        }
        List<String> entries = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        List<Long> replayed = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get(ID)).longValue();
            boolean corrected = correctedPayload != null && !isBlank(correctedPayload) && headers.get(ID_PARAM) != null;
            try {
                LoggedMessage message = parser.parseEntry(corrected ? correctedPayload : (byte[]) row.get("payload_bytes")).message();
                entries.add(messages.write(message));
                uuids.add(message.messageUuid().toString());
                replayed.add(id);
            } catch (ClientErrorException e) {
                failed.add(id);
                e.details().forEach(d -> problems.add("dead letter " + id + ": " + d));
            }
        }
        headers.put(REPLAYED_PARAM, sqlArray(replayed));
        headers.put(FAILED_PARAM, sqlArray(failed));
        return new Replay(entries, uuids, failed.size(), problems, rows.size() == REPLAY_CHUNK);
    }

    /** The answer to a replay; a single dead letter still invalid is a 422 naming what is wrong. */
    public String replayResponse(Replay replay, Map<String, Object> headers) {
        if (headers.get(ID_PARAM) != null && replay.stillInvalid() > 0) {
            throw new ClientErrorException(422, "still invalid", replay.problems());
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("replayed", replay.getEntries().size());
            g.writeNumberField("still_invalid", replay.stillInvalid());
            g.writeArrayFieldStart("message_uuids");
            for (String uuid : replay.uuids()) {
                g.writeString(uuid);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("details");
            for (String problem : replay.problems()) {
                g.writeString(problem);
            }
            g.writeEndArray();
            g.writeBooleanField("more", replay.more());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public String deleted(Map<String, Object> headers, Object updateCount) {
        int count = updateCount == null ? 0 : Integer.parseInt(updateCount.toString());
        if (headers.get(ID_PARAM) != null && count == 0) {
            throw ClientErrorException.notFound("no dead letter with id " + headers.get(ID_PARAM));
        }
        return "{\"deleted\":" + count + "}";
    }

    public record Replay(List<String> entries, List<String> uuids, int stillInvalid, List<String> problems, boolean more) {

        /** For routes/dead-letters.yaml: what goes back on the queue. */
        public List<String> getEntries() {
            return entries;
        }
    }

    private long id(Object raw) {
        String text = RequestParameters.single(ID, raw);
        Long id = text == null ? null : RequestParameters.parseWholeNumber(text);
        if (id == null || id < 1) {
            throw ClientErrorException.badRequest("invalid id",
                    List.of("id: must be a positive whole number, got " + RequestParameters.shown(String.valueOf(text))));
        }
        return id;
    }

    /** The id of the last dead letter of the previous page; absent: from the newest. */
    private long cursor(Object raw) {
        String text = RequestParameters.single(CURSOR, raw);
        if (text == null) {
            return Long.MAX_VALUE;
        }
        Long before = RequestParameters.parseWholeNumber(text);
        if (before == null || before < 1) {
            throw ClientErrorException.badRequest("invalid cursor",
                    List.of("cursor: not a cursor this service issued; use the Link header of the previous page"));
        }
        return before;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The reason filter: null (all reasons) when absent or empty. */
    private static String emptyToNull(Object value) {
        return RequestParameters.text(REASON, value);
    }

    private static String sqlArray(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }

    private String write(List<Map<String, Object>> rows, boolean asArray) {
        return rowsJson.write(rows, asArray, DeadLetterApi::deadLetter);
    }

    private static void deadLetter(JsonGenerator g, Map<String, Object> row) throws IOException {
        g.writeNumberField("id", ((Number) row.get(ID)).longValue());
        g.writeStringField("reason", (String) row.get("reason"));
        g.writeFieldName("details");
        g.writeRawValue((String) row.get("details"));
        g.writeStringField("error", (String) row.get("error"));
        g.writeStringField("source", (String) row.get("source"));
        Object uuid = row.get("message_uuid");
        g.writeStringField("message_uuid", uuid == null ? null : uuid.toString());
        g.writeStringField("first_failed_at", JsonRows.timestamp(row.get("first_failed_at")));
        g.writeStringField("last_failed_at", JsonRows.timestamp(row.get("last_failed_at")));
        g.writeNumberField("attempts", ((Number) row.get("attempts")).intValue());
        g.writeStringField("replayed_at", JsonRows.timestamp(row.get("replayed_at")));
        // the payload as received: as text when it is UTF-8 text PostgreSQL holds, otherwise its bytes in base64
        g.writeStringField("payload", (String) row.get("payload"));
        Object bytes = row.get("payload_bytes");
        if (bytes != null) {
            g.writeStringField("payload_base64", Base64.getEncoder().encodeToString((byte[]) bytes));
        }
    }
}
