package routes.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import routes.support.Json;

/**
 * Requests with the headers a browser adds (Origin, preflight headers) and any method and body type, to the API
 * over http or https.
 */
final class HttpProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final HttpClient http;

    HttpProbe(String base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /** Plain HTTP to 127.0.0.1:port. */
    static HttpProbe plain(int port) {
        return new HttpProbe("http://127.0.0.1:" + port, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).build());
    }

    /**
     * {@code headers} are name, value pairs; a Content-Type among them goes with the body. An empty body is sent
     * as no body.
     */
    Answer send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body.isEmpty() ? BodyPublishers.noBody() : BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(method + " " + path, response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A browser's CORS preflight before a cross-origin POST with a JSON body (and an Authorization header). */
    Answer preflight(String path, String origin) {
        return send("OPTIONS", path, "", "Origin", origin, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");
    }

    record Answer(String request, int status, Map<String, List<String>> headers, String body) {

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(", ", e.getValue())).findFirst();
        }

        /** Every Access-Control-* header, by lower-case name. */
        Map<String, String> accessControl() {
            Map<String, String> found = new TreeMap<>();
            headers.forEach((name, values) -> {
                if (name.toLowerCase().startsWith("access-control-")) {
                    found.put(name.toLowerCase(), String.join(", ", values));
                }
            });
            return found;
        }

        JsonNode json() {
            return Json.parse(body);
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + headers + " " + body;
        }
    }
}
