package routes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The HTTP API of the application under test, over java.net.http. */
public final class ApiClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    /** The Authorization header sent with every request, when set. */
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    public ApiClient(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private ApiClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same API, called with this API key. */
    public ApiClient withKey(String key) {
        return withAuthorization("Bearer " + key);
    }

    /** The same API, called with this Authorization header as it is. */
    public ApiClient withAuthorization(String header) {
        return new ApiClient(base, header);
    }

    /** The same API reached at another host address (e.g. the machine's own, not loopback). */
    public ApiClient at(String host) {
        return new ApiClient(base.replace("127.0.0.1", host), authorization);
    }

    /** Any method with a JSON body. */
    public ApiResponse sendJson(String method, String path, String json) {
        return send(method, path, "application/json", BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    /** GET a path (with its query string) relative to the server root, e.g. from a Location or Link header. */
    public ApiResponse get(String path) {
        return send("GET", path, null, BodyPublishers.noBody());
    }

    /** POST a JSON document to /messages. */
    public ApiResponse postMessages(String json) {
        return post("/messages", "application/json", json);
    }

    public ApiResponse post(String path, String contentType, String body) {
        return send("POST", path, contentType, BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    /** POST these exact bytes (a body that may not even be UTF-8). */
    public ApiResponse postBytes(String path, String contentType, byte[] body) {
        return send("POST", path, contentType, BodyPublishers.ofByteArray(body));
    }

    /** Any method, no body. */
    public ApiResponse send(String method, String path) {
        return send(method, path, null, BodyPublishers.noBody());
    }

    private ApiResponse send(String method, String path, String contentType, BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return new ApiResponse(method + " " + path, http.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }
}
