package routes.admin;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.Headers;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.model.ClientErrorException;
import routes.model.MessageJson;
import routes.model.Principal;
import routes.model.SqlFile;
import routes.model.UnicodeText;
import routes.query.PageLimit;
import routes.query.RequestParameters;
import routes.security.ApiGate;
import routes.security.Callers;

/**
 * The audit of admin actions, table admin_audit (append-only): the steps the routes run around each one.
 * {@code begin} names the action and its target, {@code succeeded} writes an "ok" row after the action, {@code failed}
 * (in the audited-http-errors onException, after errorResponses) writes the status and error the client got. An
 * action whose row cannot be written answers 503 "not audited" and is logged at ERROR with the whole record, so
 * none goes unaudited silently. Rows never hold a secret: no key token, no request body. Also GET /admin/audit.
 */
public final class AdminAudit {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);
    /** The exchange property begin sets: what is being done to what. */
    private static final String AUDITED = "audited";
    /** VertxPlatformHttpConstants.REMOTE_ADDRESS: the client's socket address, set by the HTTP server. */
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    /** Characters of an action or target kept: they can come from the request path or query. */
    private static final int MAX_TEXT = 256;
    private static final String OK = "ok";
    private static final String NO_CALLER = "none";
    private static final String LIMIT = "limit";
    private static final String CURSOR = "cursor";
    private static final String ACTION = "action";

    /** What an audited request does, to what; the target may only be known once the action is done. */
    private record Audited(String action, String target) {
    }

    /** One row of admin_audit. */
    private record Row(long id, Instant at, String keyId, String keyName, String action, String target, String outcome,
                       String remoteAddress) {

        @Override
        public String toString() {
            return "key_id=" + keyId + " key_name=" + keyName + " action=" + action + " target=" + target
                    + " outcome=" + outcome + " remote_address=" + remoteAddress;
        }
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final PageLimit limits;
    private final ApiGate.ErrorBodies errors;
    private final String insert = SqlFile.read("insert-admin-audit.sql");
    private final String select = SqlFile.read("select-admin-audit.sql");

    public AdminAudit(DataSource dataSource, ObjectMapper mapper, int defaultLimit, int maxLimit, ApiGate.ErrorBodies errors) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.limits = new PageLimit(defaultLimit, maxLimit);
        this.errors = errors;
    }

    /** First step of an audited route: the action (e.g. key.revoke) and its target (null: none, or not known yet). */
    public void begin(String action, Object target, Exchange exchange) {
        exchange.setProperty(AUDITED, new Audited(clip(action), clip(text(target))));
    }

    /** The same for an action on all dead letters, or those of one reason: the target is "reason=..." or "all". */
    public void beginForReason(String action, Object reason, Exchange exchange) {
        String filter = text(reason);
        begin(action, filter == null ? "all" : "reason=" + filter, exchange);
    }

    /** Last step of an audited route: the action is done. */
    public void succeeded(Exchange exchange) {
        succeededFor(null, exchange);
    }

    /** The same, naming the target only known now (the id of a key just made). */
    public void succeededFor(String target, Exchange exchange) {
        Audited audited = audited(exchange);
        Row row = row(exchange, target == null ? audited : new Audited(audited.action(), clip(target)), OK);
        if (!write(row)) {
            notAudited(exchange.getMessage(), "the action was done, but its audit row could not be written; it is logged instead");
        }
    }

    /** After errorResponses, in the onException of an audited route: the attempt and the answer it got. */
    public void failed(Exchange exchange) {
        Message answer = exchange.getMessage();
        Row row = row(exchange, audited(exchange), answer.getHeader(Exchange.HTTP_RESPONSE_CODE) + " " + errorOf(answer));
        if (!write(row)) {
            notAudited(answer, "the action failed, and its audit row could not be written; it is logged instead");
        }
    }

    /** GET /admin/audit?limit=&cursor=&action=: newest first, a Link to the next page when there is one. */
    public String page(@Headers Map<String, Object> headers) throws SQLException {
        RequestParameters.dropSteeringHeaders(headers);
        RequestParameters.requireUtf8(headers, null, ACTION);
        int limit = limits.parse(headers.get(LIMIT));
        Long cursor = RequestParameters.wholeNumber(CURSOR, headers.get(CURSOR), 1, Long.MAX_VALUE);
        String action = RequestParameters.text(ACTION, headers.get(ACTION));
        List<Row> rows = select(cursor == null ? Long.MAX_VALUE : cursor, action, limit + 1);
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            String next = "/admin/audit?limit=" + limit + "&cursor=" + rows.get(limit - 1).id();
            if (action != null) {
                next += "&action=" + URLEncoder.encode(action, StandardCharsets.UTF_8).replace("+", "%20");
            }
            headers.put("Link", "<" + next + ">; rel=\"next\"");
        }
        return json(rows);
    }

    private boolean write(Row row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(insert)) {
            s.setString(1, row.keyId());
            s.setString(2, row.keyName());
            s.setString(3, row.action());
            s.setString(4, row.target());
            s.setString(5, row.outcome());
            s.setString(6, row.remoteAddress());
            s.executeUpdate();
            return true;
        } catch (SQLException | RuntimeException e) {
            // one line, the record first: this line is the audit of the action now
            String cause = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            LOG.error("Admin action NOT AUDITED: {} (the audit row could not be written: {})", row, cause);
            return false;
        }
    }

    private List<Row> select(long before, String action, int rows) throws SQLException {
        List<Row> page = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(select)) {
            s.setLong(1, before);
            s.setObject(2, action, Types.VARCHAR);
            s.setObject(3, action, Types.VARCHAR);
            s.setInt(4, rows);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    page.add(new Row(r.getLong("id"), r.getTimestamp("at").toInstant(), r.getString("key_id"),
                            r.getString("key_name"), r.getString("action"), r.getString("target"), r.getString("outcome"),
                            r.getString("remote_address")));
                }
            }
        }
        return page;
    }

    private String json(List<Row> rows) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (Row row : rows) {
                g.writeStartObject();
                g.writeNumberField("id", row.id());
                g.writeStringField("at", MessageJson.timestamp(row.at()));
                g.writeStringField("key_id", row.keyId());
                g.writeStringField("key_name", row.keyName());
                g.writeStringField("action", row.action());
                g.writeStringField("target", row.target());
                g.writeStringField("outcome", row.outcome());
                g.writeStringField("remote_address", row.remoteAddress());
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** What begin recorded; a route that forgot it is still audited, under its route id. */
    private static Audited audited(Exchange exchange) {
        Audited audited = exchange.getProperty(AUDITED, Audited.class);
        return audited != null ? audited : new Audited("route:" + exchange.getFromRouteId(), null);
    }

    private static Row row(Exchange exchange, Audited audited, String outcome) {
        Principal caller = caller(exchange.getMessage().getHeader(Callers.HEADER));
        Object remote = exchange.getMessage().getHeader(REMOTE_ADDRESS);
        return new Row(0, null, caller == null ? NO_CALLER : caller.keyId(), caller == null ? null : caller.name(),
                audited.action(), audited.target(), outcome,
                remote instanceof SocketAddress address ? address.hostAddress() : text(remote));
    }

    /** The caller, or null when the request has none (the action itself refused it). */
    private static Principal caller(Object user) {
        try {
            return Callers.of(user);
        } catch (ClientErrorException noCaller) {
            return null;
        }
    }

    /** The "error" of the JSON error errorResponses just wrote: what the client was told, never what it sent. */
    private String errorOf(Message answer) {
        try {
            JsonNode error = mapper.readTree(answer.getBody(String.class)).path("error");
            return error.isTextual() ? clip(error.asText()) : "error";
        } catch (IOException | RuntimeException e) {
            return "error";
        }
    }

    private void notAudited(Message answer, String detail) {
        answer.removeHeader("Location");
        answer.removeHeader("Link");
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, 503);
        answer.setHeader(Exchange.CONTENT_TYPE, "application/json");
        answer.setBody(errors.json("not audited", List.of(detail)));
    }

    /** A header as text: a parameter given twice comes as a list. */
    private static String text(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value == null ? null : value.toString();
    }

    /** Text PostgreSQL can store (no NUL, no lone surrogate), at most MAX_TEXT characters. */
    private static String clip(String text) {
        if (text == null) {
            return null;
        }
        String printable = UnicodeText.printable(text);
        if (printable.length() <= MAX_TEXT) {
            return printable;
        }
        int end = Character.isHighSurrogate(printable.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return printable.substring(0, end) + "…";
    }
}
