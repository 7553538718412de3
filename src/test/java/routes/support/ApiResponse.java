package routes.support;

import java.net.http.HttpResponse;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** One answer of the API: status, headers and body, with the body parsed as JSON on demand. */
public final class ApiResponse {

    private final String request;
    private final HttpResponse<String> response;

    ApiResponse(String request, HttpResponse<String> response) {
        this.request = request;
        this.response = response;
    }

    public int status() {
        return response.statusCode();
    }

    public String body() {
        return response.body();
    }

    public Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError(request + ": body is not JSON: " + response.body(), e);
        }
    }

    @Override
    public String toString() {
        return request + " -> " + status() + " " + response.headers().map() + " " + body();
    }
}
