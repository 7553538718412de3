package routes.http;

import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which message headers become HTTP response headers: only those the API means to send. Camel would
 * otherwise echo the request's headers (and the SQL parameters the query routes keep in headers) back to the
 * client. Incoming request headers and query parameters reach the routes, except those named like Camel's own
 * (Camel*, in any case): a client must not set CamelHttpResponseCode, camel-jdbc's parameters or the caller.
 */
public final class ResponseHeaders implements HeaderFilterStrategy {

    private static final Set<String> SENT = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        SENT.addAll(Set.of("Content-Type", "Location", "Link", "Retry-After", "Allow", "Cache-Control"));
    }

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !SENT.contains(name);
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return name.regionMatches(true, 0, "Camel", 0, 5);
    }
}
