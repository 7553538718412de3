package routes.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client of the live feed (the JDK's): it keeps every text frame it receives, in order. A
 * client made with {@link #neverReading} takes nothing off its socket after the handshake, like a stuck
 * dashboard tab. {@link #handshake} sends a bare handshake over a plain socket, to see the server's HTTP answer
 * when it refuses one.
 */
public final class FeedClient implements AutoCloseable {

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private FeedClient(int port, String pathAndQuery, boolean reading) {
        this(port, pathAndQuery, reading, Map.of());
    }

    private FeedClient(int port, String pathAndQuery, boolean reading, Map<String, String> headers) {
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
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), listener)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    /** Connects to {@code ws://127.0.0.1:<port><pathAndQuery>}, e.g. {@code /} or {@code /events?topic=a}. */
    public static FeedClient connect(int port, String pathAndQuery) {
        return new FeedClient(port, pathAndQuery, true);
    }

    /** Connects with these handshake headers, e.g. {@code Authorization} or {@code Origin}. */
    public static FeedClient connect(int port, String pathAndQuery, Map<String, String> headers) {
        return new FeedClient(port, pathAndQuery, true, headers);
    }

    /** Connects with {@code Authorization: Bearer <key>}. */
    public static FeedClient withKey(int port, String pathAndQuery, String key) {
        return connect(port, pathAndQuery, Map.of("Authorization", "Bearer " + key));
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

    /** Waits until the server closes the connection and returns its close code. */
    public int awaitCloseCode(Duration timeout) {
        return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * The server's answer to a bare handshake: status, headers (names in lower case), body. On 101 the socket stays
     * open, a connection like any other, until {@link #close}.
     */
    public record Handshake(int status, Map<String, String> headers, String body, Socket socket) implements AutoCloseable {

        public boolean upgraded() {
            return status == 101;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** Sends a WebSocket handshake for {@code pathAndQuery} with these extra headers, and reads the answer. */
    public static Handshake handshake(int port, String pathAndQuery, Map<String, String> headers) {
        Socket socket = new Socket();
        try {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> answerHeaders = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                answerHeaders.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String body = "";
            if (status != 101) {
                byte[] bytes = in.readNBytes(Integer.parseInt(answerHeaders.getOrDefault("content-length", "0")));
                body = new String(bytes, StandardCharsets.UTF_8);
                socket.close();
            }
            return new Handshake(status, answerHeaders, body, socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException("handshake to " + pathAndQuery + " failed", e);
        }
    }

    /** One CRLF-terminated header line, read byte by byte so no frame after the headers is taken. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of the answer's headers");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        socket.abort();
    }
}
