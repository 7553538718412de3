package routes.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import routes.support.FeedClient;

/**
 * Clients of one service that try again and again, from before its port opens until {@link #close()}: producers
 * POSTing a new message to /messages each time, or feed clients opening a WebSocket on /events. Every outcome is
 * sorted: accepted (202, the message's uuid kept; or 101), 503 with Retry-After and a JSON error, connection
 * refused (nothing listens), no answer (the connection failed after it was made), or anything else, which is
 * wrong and kept for the report.
 */
final class ClientLoad implements AutoCloseable {

    enum Outcome { ACCEPTED, UNAVAILABLE, REFUSED, NO_ANSWER, WRONG }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int WRONG_SAMPLES = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final int port;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final List<String> wrong = new ArrayList<>();
    private final AtomicLong answers = new AtomicLong();
    /** Connections refused after the first answer: the port closed again. */
    private final AtomicLong refusedAfterAnAnswer = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    private ClientLoad(int port) {
        this.port = port;
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new AtomicLong());
        }
    }

    /** Producers: each thread POSTs one new message after another. */
    static ClientLoad posting(int httpPort, int threads) {
        ClientLoad load = new ClientLoad(httpPort);
        return load.start(threads, "post", load::postMessage, 0);
    }

    /** Feed clients: each thread opens a WebSocket on /events, closes it once open, and opens the next. */
    static ClientLoad handshaking(int feedPort, int threads) {
        ClientLoad load = new ClientLoad(feedPort);
        // a pause keeps the connections of one address under the feed's cap while closed ones give their places back
        return load.start(threads, "handshake", load::handshake, 20);
    }

    long count(Outcome outcome) {
        return counts.get(outcome).get();
    }

    /** The uuids of the messages answered 202. */
    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    long refusedAfterAnAnswer() {
        return refusedAfterAnAnswer.get();
    }

    synchronized String summary() {
        return counts + ", refused after an answer: " + refusedAfterAnAnswer.get() + ", wrong: " + wrong;
    }

    /** Stops trying and waits for the attempts under way. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }

    private ClientLoad start(int count, String name, Supplier<Outcome> attempt, long pauseMillis) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> repeat(attempt, pauseMillis), name + "-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    private void repeat(Supplier<Outcome> attempt, long pauseMillis) {
        while (running.get()) {
            Outcome outcome = attempt.get();
            counts.get(outcome).incrementAndGet();
            if (outcome == Outcome.REFUSED && answers.get() > 0) {
                refusedAfterAnAnswer.incrementAndGet();
            }
            boolean failed = outcome == Outcome.REFUSED || outcome == Outcome.NO_ANSWER;
            pause(failed ? Math.max(pauseMillis, 10) : pauseMillis);
        }
    }

    private Outcome postMessage() {
        String uuid = UUID.randomUUID().toString();
        String message = "{\"message_uuid\":\"" + uuid + "\",\"message_data\":{\"load\":true},"
                + "\"source_subject_id\":\"client-load\",\"destination_subject_ids\":[\"it\"]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message))
                .build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return Outcome.NO_ANSWER;
        }
        answers.incrementAndGet();
        if (response.statusCode() == 202 && uuid.equals(json(response.body()).path("message_uuid").asText())) {
            accepted.add(uuid);
            return Outcome.ACCEPTED;
        }
        HttpHeaders headers = response.headers();
        return unavailableOrWrong(response.statusCode(), headers.firstValue("Retry-After"),
                headers.firstValue("Content-Type"), response.body(), response.statusCode() + " " + headers.map());
    }

    private Outcome handshake() {
        FeedClient.Handshake answer;
        try {
            answer = FeedClient.handshake(port, "/events", Map.of());
        } catch (UncheckedIOException e) {
            return failure(e.getCause());
        }
        answers.incrementAndGet();
        if (answer.upgraded()) {
            answer.close();
            return Outcome.ACCEPTED;
        }
        return unavailableOrWrong(answer.status(), Optional.ofNullable(answer.headers().get("retry-after")),
                Optional.ofNullable(answer.headers().get("content-type")), answer.body(), answer.status() + " " + answer.headers());
    }

    private static Outcome failure(IOException e) {
        return e instanceof ConnectException ? Outcome.REFUSED : Outcome.NO_ANSWER;
    }

    /** 503, a whole number of seconds in Retry-After, and {"error": text, "details": [text, ...]} as JSON. */
    private Outcome unavailableOrWrong(int status, Optional<String> retryAfter, Optional<String> contentType, String body,
                                       String description) {
        JsonNode error = json(body);
        if (status == 503
                && retryAfter.filter(seconds -> seconds.matches("[1-9][0-9]*")).isPresent()
                && contentType.filter(type -> type.startsWith("application/json")).isPresent()
                && error.path("error").isTextual()
                && error.path("details").isArray() && error.path("details").size() > 0) {
            return Outcome.UNAVAILABLE;
        }
        synchronized (this) {
            if (wrong.size() < WRONG_SAMPLES) {
                wrong.add(description + " " + body);
            }
        }
        return Outcome.WRONG;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text == null ? "" : text);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    private void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
