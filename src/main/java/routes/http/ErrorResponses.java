package routes.http;

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
 * Client mistakes keep their 4xx status; an unreachable dependency is 503 with Retry-After; anything else is
 * a 500 that is logged, since it is our bug and never the client's.
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
        int status;
        String body;
        if (client != null) {
            status = client.status();
            body = json(client.error(), client.details());
            if (client.retryAfterSeconds() > 0) {
                exchange.getMessage().setHeader("Retry-After", Integer.toString(client.retryAfterSeconds()));
            }
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
