package routes.http;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.redis.RedisConnectionFailureException;

import routes.model.ClientErrorException;

/**
 * Turns the exception that ended an HTTP exchange into a JSON error: {"error": ..., "details": [...]}.
 * Client mistakes keep their 4xx status, and so does a parameter the database refused as invalid data; an
 * unreachable dependency is 503 with Retry-After; anything else is a 500 that is logged, since it is our bug and
 * never the client's.
 */
public final class ErrorResponses implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final ObjectMapper mapper;

    public ErrorResponses(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ClientErrorException client = clientError(cause);
        SQLException refused = client == null ? refusedData(cause) : null;
        int status;
        String body;
        if (client != null) {
            status = client.status();
            body = json(client.error(), client.details());
            if (client.retryAfterSeconds() > 0) {
                exchange.getMessage().setHeader("Retry-After", Integer.toString(client.retryAfterSeconds()));
            }
        } else if (refused != null) {
            // the request checks should have caught this; one line, so that a client cannot flood the log with stacks
            LOG.warn("The database refused a parameter of {} {} as invalid data (SQLState {}): {}",
                    exchange.getMessage().getHeader(Exchange.HTTP_METHOD), exchange.getMessage().getHeader(Exchange.HTTP_URI),
                    refused.getSQLState(), firstLine(refused.getMessage()));
            status = 400;
            body = json("invalid parameter", List.of("the database refused a parameter of this request as invalid data"));
        } else if (isUnavailable(cause)) {
            status = 503;
            exchange.getMessage().setHeader("Retry-After", "1");
            body = json("service unavailable", List.of(describe(cause)));
        } else {
            LOG.error("Unexpected failure answering {} {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), cause);
            status = 500;
            body = json("internal error", List.of("the service failed to answer; the failure is logged"));
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }

    /** The same JSON error for what the HTTP server answers itself, before any route runs; done once written. */
    public Future<Void> reply(RoutingContext ctx, int status, String error, String detail) {
        if (ctx.response().ended()) {
            return Future.succeededFuture();
        }
        return ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(json(error, List.of(detail)));
    }

    public String json(String error, List<String> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("details", details);
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The client's mistake, also when Camel wrapped it (a bean called from an expression, say). */
    private static ClientErrorException clientError(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ClientErrorException client) {
                return client;
            }
        }
        return null;
    }

    /**
     * A data exception of the database (SQLState class 22: a NUL character, a value out of range, text that is no
     * uuid, ...), also when wrapped: a parameter the client sent that the request checks let through.
     */
    private static SQLException refusedData(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return sql;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private static boolean isUnavailable(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionFailureException || t instanceof DataAccessResourceFailureException
                    || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof RedisConnectionFailureException || t instanceof DataAccessResourceFailureException) {
                return "Redis is unreachable";
            }
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return "the database is unreachable";
            }
        }
        return "a dependency is unreachable";
    }
}
