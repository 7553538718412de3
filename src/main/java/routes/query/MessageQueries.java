package routes.query;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.camel.Headers;

import routes.model.ClientErrorException;
import routes.model.Principal;
import routes.security.Callers;

import static routes.model.MessageJson.*;

/**
 * GET /messages/{uuid} and GET /messages/subject/{subject_id}: checks the request into SQL parameters (headers
 * read by the jdbc endpoint) and renders the rows in the reference JSON shape. The subject listing is keyset
 * paginated on (origin_ts, message_uuid), newest first.
 */
public final class MessageQueries {

    /** The SQL parameter names, as written in queries/*.sql. */
    public static final String UUID_PARAM = "uuid";
    public static final String SUBJECT_PARAM = "subject_id";
    public static final String CURSOR_TS_PARAM = "cursor_ts";
    public static final String CURSOR_UUID_PARAM = "cursor_uuid";
    public static final String ROWS_PARAM = "page_rows";
    public static final String KEY_SUBJECTS_PARAM = "key_subjects";
    private static final String LIMIT = "limit";
    private static final String CURSOR = "cursor";

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String NEWEST_TS = "infinity";
    private static final String NEWEST_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private final JsonRows json;
    private final PageLimit limits;

    public MessageQueries(JsonFactory json, int defaultLimit, int maxLimit) {
        this.json = new JsonRows(json);
        this.limits = new PageLimit(defaultLimit, maxLimit);
    }

    public void prepareByUuid(@Headers Map<String, Object> headers) {
        String uuid = String.valueOf(headers.get(UUID_PARAM));
        if (!UUID_TEXT.matcher(uuid).matches()) {
            throw ClientErrorException.badRequest("invalid uuid",
                    List.of("message_uuid: must be a UUID such as 123e4567-e89b-12d3-a456-426614174000, got '" + uuid + "'"));
        }
        headers.put(UUID_PARAM, uuid.toLowerCase());
    }

    public String renderOne(List<Map<String, Object>> rows, @Headers Map<String, Object> headers) {
        // a key bound to subjects that take no part in the message is told nothing, not even that it exists
        if (rows == null || rows.isEmpty() || !Callers.of(headers.get(Callers.HEADER)).mayRead(
                String.valueOf(rows.get(0).get(SOURCE_SUBJECT_ID)), recipients(rows.get(0).get(DESTINATION_SUBJECT_IDS)))) {
            throw ClientErrorException.notFound("no message with uuid " + headers.get(UUID_PARAM));
        }
        return write(rows.subList(0, 1), false);
    }

    public void prepareBySubject(@Headers Map<String, Object> headers) {
        Object subject = headers.get(SUBJECT_PARAM);
        if (subject == null || subject.toString().isEmpty()) {
            throw ClientErrorException.badRequest("invalid subject", List.of("subject_id: must not be empty"));
        }
        int limit = limits.parse(headers.get(LIMIT));
        headers.put(ROWS_PARAM, limit + 1);
        Principal caller = Callers.of(headers.get(Callers.HEADER));
        // a key bound to subjects reads its own subjects' messages whole; another subject's, only where it takes part
        headers.put(KEY_SUBJECTS_PARAM, caller.mayActAs(subject.toString()) ? null : caller.subjects().toArray(new String[0]));
        Object cursor = headers.get(CURSOR);
        if (cursor == null || cursor.toString().isEmpty()) {
            headers.put(CURSOR_TS_PARAM, NEWEST_TS);
            headers.put(CURSOR_UUID_PARAM, NEWEST_UUID);
        } else {
            Position position = Position.decode(cursor.toString());
            headers.put(CURSOR_TS_PARAM, position.originTs());
            headers.put(CURSOR_UUID_PARAM, position.uuid());
        }
    }

    /** The page as a JSON array; when a next page exists, a Link header (rel="next") carries its cursor. */
    public String renderPage(List<Map<String, Object>> rows, @Headers Map<String, Object> headers) {
        int limit = ((Number) headers.get(ROWS_PARAM)).intValue() - 1;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Map<String, Object> last = rows.get(limit - 1);
            String cursor = new Position(timestamp(last.get(ORIGIN_TS)), String.valueOf(last.get(MESSAGE_UUID))).encode();
            String subject = URLEncoder.encode(headers.get(SUBJECT_PARAM).toString(), StandardCharsets.UTF_8).replace("+", "%20");
            headers.put("Link", "</messages/subject/" + subject + "?limit=" + limit + "&cursor=" + cursor + ">; rel=\"next\"");
        }
        return write(rows, true);
    }

    private static List<String> recipients(Object jsonArrayText) {
        List<String> recipients = new java.util.ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser parser = JSON_FACTORY.createParser(String.valueOf(jsonArrayText))) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    recipients.add(parser.getText());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the database rendered a recipient array that is not JSON", e);
        }
        return recipients;
    }

    private String write(List<Map<String, Object>> rows, boolean asArray) {
        return json.write(rows, asArray, MessageQueries::message);
    }

    /** One message row in the reference shape. */
    private static void message(JsonGenerator g, Map<String, Object> row) throws IOException {
        g.writeStringField(MESSAGE_UUID, String.valueOf(row.get(MESSAGE_UUID)));
        g.writeStringField(ORIGIN_TS, timestamp(row.get(ORIGIN_TS)));
        g.writeStringField(ACK_TS, timestamp(row.get(ACK_TS)));
        raw(g, MESSAGE_DATA, row.get(MESSAGE_DATA));
        g.writeStringField(SOURCE_SUBJECT_ID, (String) row.get(SOURCE_SUBJECT_ID));
        raw(g, DESTINATION_SUBJECT_IDS, row.get(DESTINATION_SUBJECT_IDS));
        g.writeStringField(TOPIC, (String) row.get(TOPIC));
        g.writeStringField(MESSAGE_TYPE, (String) row.get(MESSAGE_TYPE));
        raw(g, MESSAGE_METADATA, row.get(MESSAGE_METADATA));
    }

    /** JSON the database rendered itself (jsonb and the recipient array, selected as text). */
    private static void raw(JsonGenerator g, String field, Object jsonText) throws IOException {
        g.writeFieldName(field);
        if (jsonText == null) {
            g.writeNull();
        } else {
            g.writeRawValue(jsonText.toString());
        }
    }

    private static String timestamp(Object value) {
        return JsonRows.timestamp(value);
    }

    /** Where a page ends: the (origin_ts, message_uuid) of its last row, as an opaque URL-safe token. */
    private record Position(String originTs, String uuid) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((originTs + "|" + uuid).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String token) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|", 2);
                Instant.parse(parts[0]);
                UUID.fromString(parts[1]);
                return new Position(parts[0], parts[1]);
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | DateTimeParseException e) {
                throw ClientErrorException.badRequest("invalid cursor",
                        List.of("cursor: not a cursor this service issued; use the Link header of the previous page"));
            }
        }
    }
}
