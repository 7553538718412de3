package routes.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client of the live feed (the JDK's): it keeps every text frame it receives, in order. A
 * client made with {@link #neverReading} takes nothing off its socket after the handshake, like a stuck
 * dashboard tab.
 */
public final class FeedClient implements AutoCloseable {

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private FeedClient(int port, String pathAndQuery, boolean reading) {
        StringBuilder partial = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                if (reading) {
                    webSocket.request(1);
                }
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), listener)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code ws://127.0.0.1:<port><pathAndQuery>}, e.g. {@code /} or {@code /events?topic=a}. */
    public static FeedClient connect(int port, String pathAndQuery) {
        return new FeedClient(port, pathAndQuery, true);
    }

    /** Connects, then never reads a frame. */
    public static FeedClient neverReading(int port, String pathAndQuery) {
        return new FeedClient(port, pathAndQuery, false);
    }

    /** Every text frame received so far, in order. */
    public List<String> frames() {
        return new ArrayList<>(frames);
    }

    /** Waits for a frame that satisfies {@code wanted} and returns it. */
    public String awaitFrame(Duration timeout, Predicate<String> wanted, String description) {
        return Await.awaitValue(timeout, () -> frames().stream().filter(wanted).findFirst().orElse(null),
                frame -> frame != null, description + " on the feed (received " + frames.size() + " frames)");
    }

    /** True once the server has closed the connection (or it failed). */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
