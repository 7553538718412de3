package routes.http;

import java.util.Locale;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * A request that carries a body, whatever its method, must declare it JSON, or it is answered 415 before the body
 * is read. Browsers send text/plain and form bodies across origins without asking first; refusing them keeps a
 * foreign page from acting through a visitor's browser (and a form body on a GET, which the body handler refuses
 * with an exception, never becomes a 500). No body is fine (a replay of the stored payload, a delete).
 */
final class JsonBodies implements Handler<RoutingContext> {

    private final ErrorResponses errors;

    JsonBodies(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (hasBody(request) && !isJson(contentType)) {
            errors.reply(ctx, 415, "unsupported media type", "Content-Type: expected application/json, got "
                    + (contentType == null ? "none" : "'" + contentType + "'"));
            return;
        }
        ctx.next();
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
    }

    /** application/json or a JSON suffix type (application/problem+json), with any parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
