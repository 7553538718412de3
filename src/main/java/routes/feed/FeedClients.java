package routes.feed;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.ServerWebSocket;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients connected to the live feed, and the fan-out to them.
 *
 * <p>Every frame is written to each client without waiting for it (Vert.x queues it on the client's
 * connection), so a slow client never holds up the others. A client whose unsent frames exceed
 * {@code feed.client-buffer} bytes misses frames: it is told at once with a {@code gap} event, told again how
 * many it missed when it catches up, and disconnected if it is still behind after
 * {@code feed.slow-client-timeout}. Memory per client is bounded by that buffer. The Redis subscription is held
 * while clients are connected (see {@link FeedSubscription}).
 */
public final class FeedClients {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClients.class);
    /** WebSocket close code 1008 (policy violation): the client did not keep up. */
    private static final short TOO_SLOW = 1008;

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final String eventsPath;
    private final int bufferBytes;
    private final long slowClientTimeoutNanos;
    private final FeedSubscription subscription;

    public FeedClients(ObjectMapper mapper, String eventsPath, int bufferBytes, Duration slowClientTimeout,
                       FeedSubscription subscription) {
        this.mapper = mapper;
        this.eventsPath = eventsPath;
        this.bufferBytes = bufferBytes;
        this.slowClientTimeoutNanos = slowClientTimeout.toNanos();
        this.subscription = subscription;
    }

    /**
     * A client connected: {@code /events} gets typed events, any other path the plain message stream. It is
     * counted once the subscription is held, so it misses nothing published after it connected.
     */
    public void open(@Body ServerWebSocket socket, @Header(VertxWebsocketConstants.CONNECTION_KEY) String key) {
        subscription.hold();
        socket.setWriteQueueMaxSize(bufferBytes);
        boolean events = eventsPath.equals(socket.path());
        clients.put(key, new Client(key, socket, events, FeedFilter.of(socket.query())));
        // connection events are handled on worker threads: a close may have been handled before this open
        if (socket.isClosed()) {
            clients.remove(key);
        }
    }

    public void close(@Header(VertxWebsocketConstants.CONNECTION_KEY) String key) {
        clients.remove(key);
    }

    public int count() {
        return clients.size();
    }

    /** True while someone listens on {@code /events}: stats are only rendered for them. */
    public boolean hasEventClients() {
        for (Client client : clients.values()) {
            if (client.events) {
                return true;
            }
        }
        return false;
    }

    /** A text from the feed channel: as is on the plain stream, as a message event on {@code /events}. */
    public void message(@Body String text) {
        if (clients.isEmpty()) {
            return;
        }
        FeedMessage message = FeedMessage.read(text, mapper);
        for (Client client : clients.values()) {
            if (client.filter.matches(message)) {
                send(client, client.events ? message.event() : message.text());
            }
        }
    }

    /** A typed pipeline event (batch_persisted, stats): to {@code /events} clients only, whatever their filter. */
    public void event(@Body String event) {
        for (Client client : clients.values()) {
            if (client.events) {
                send(client, event);
            }
        }
    }

    private void send(Client client, String frame) {
        ServerWebSocket socket = client.socket;
        if (socket.isClosed()) {
            clients.remove(client.key);
            return;
        }
        synchronized (client) {
            long now = System.nanoTime();
            if (socket.writeQueueFull()) {
                client.dropped++;
                if (client.dropped == 1) {
                    client.behindSince = now;
                    socket.writeTextMessage(gap(1, "client too slow: frames are dropped until it catches up"));
                } else if (now - client.behindSince > slowClientTimeoutNanos) {
                    disconnect(client);
                }
                return;
            }
            if (client.dropped > 0) {
                socket.writeTextMessage(gap(client.dropped, "client caught up after frames were dropped"));
                client.dropped = 0;
            }
            socket.writeTextMessage(frame);
        }
    }

    /**
     * Run on a timer: a client that stays behind is disconnected even when no frames are flowing, one that caught
     * up hears how many frames it missed without waiting for the next one, and closed connections are forgotten.
     */
    public void sweep() {
        subscription.clients(clients.size());
        long now = System.nanoTime();
        for (Client client : clients.values()) {
            // a connection that ended without a close event (e.g. the feed server restarted on a route reload)
            if (client.socket.isClosed()) {
                clients.remove(client.key);
                continue;
            }
            synchronized (client) {
                if (client.dropped == 0) {
                    continue;
                }
                if (!client.socket.writeQueueFull()) {
                    client.socket.writeTextMessage(gap(client.dropped, "client caught up after frames were dropped"));
                    client.dropped = 0;
                } else if (now - client.behindSince > slowClientTimeoutNanos) {
                    disconnect(client);
                }
            }
        }
    }

    private void disconnect(Client client) {
        LOG.info("Disconnecting feed client {}: still behind after dropping {} frames", client.key, client.dropped);
        clients.remove(client.key);
        client.socket.close(TOO_SLOW, "too slow");
    }

    private static String gap(long dropped, String reason) {
        return "{\"type\":\"gap\",\"dropped\":" + dropped + ",\"reason\":\"" + reason + "\"}";
    }

    private static final class Client {
        final String key;
        final ServerWebSocket socket;
        final boolean events;
        final FeedFilter filter;
        long dropped;
        long behindSince;

        Client(String key, ServerWebSocket socket, boolean events, FeedFilter filter) {
            this.key = key;
            this.socket = socket;
            this.events = events;
            this.filter = filter;
        }
    }
}
