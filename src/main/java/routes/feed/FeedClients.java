package routes.feed;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.model.Principal;
import routes.model.Scope;

/**
 * The clients connected to the live feed, and the fan-out to them.
 *
 * <p>Every frame is written to each client without waiting for it (Vert.x queues it on the client's
 * connection), so a slow client never holds up the others. A client whose unsent frames exceed
 * {@code feed.client-buffer} bytes misses frames: it is told at once with a {@code gap} event, told again how
 * many it missed when it catches up, and disconnected if it is still behind after
 * {@code feed.slow-client-timeout}. Memory per client is bounded by that buffer. The Redis subscription is held
 * while clients are connected (see {@link FeedSubscription}).
 *
 * <p>Each client acts as the caller the feed's gate let in (routes.security.FeedGate), on the slot the gate took for
 * it ({@link FeedSlots}): a key bound to subjects sees only messages one of its subjects takes part in, whatever
 * filter it asked for, and the ids of those messages in batch_persisted; stats go to callers that may read
 * {@code GET /stats}. A connection whose key is revoked meanwhile is closed at the next sweep. A connection that ends
 * is forgotten, and its slot given back, exactly once, whichever of close, sweep or slowness notices it first.
 */
public final class FeedClients {

    private static final Logger LOG = LoggerFactory.getLogger(FeedClients.class);
    /** WebSocket close code 1008 (policy violation): the client did not keep up, or its key no longer works. */
    private static final short POLICY_VIOLATION = 1008;
    /** WebSocket close code 1013 (try again later): the connection holds no slot, e.g. it was too slow to open. */
    private static final short TRY_AGAIN_LATER = 1013;

    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    private final String eventsPath;
    private final int bufferBytes;
    private final long slowClientTimeoutNanos;
    private final FeedSubscription subscription;
    private final FeedSlots slots;
    private final BiPredicate<Principal, SocketAddress> stillAdmitted;

    /** {@code stillAdmitted}: whether a caller let in earlier would still be let in (its key was not revoked). */
    public FeedClients(ObjectMapper mapper, String eventsPath, int bufferBytes, Duration slowClientTimeout,
                       FeedSubscription subscription, FeedSlots slots, BiPredicate<Principal, SocketAddress> stillAdmitted) {
        this.mapper = mapper;
        this.eventsPath = eventsPath;
        this.bufferBytes = bufferBytes;
        this.slowClientTimeoutNanos = slowClientTimeout.toNanos();
        this.subscription = subscription;
        this.slots = slots;
        this.stillAdmitted = stillAdmitted;
    }

    /**
     * A client connected: {@code /events} gets typed events, any other path the plain message stream. It is
     * counted once the subscription is held, so it misses nothing published after it connected.
     */
    public void open(@Body ServerWebSocket socket, @Header(VertxWebsocketConstants.CONNECTION_KEY) String key) {
        FeedSlots.Admission admission = slots.claim(socket.remoteAddress());
        if (admission == null) {
            if (!socket.isClosed()) {
                socket.close(TRY_AGAIN_LATER, "not admitted in time: connect again");
            }
            return;
        }
        try {
            socket.setWriteQueueMaxSize(bufferBytes);
        } catch (IllegalStateException closedAlready) {
            slots.giveBack(admission.owner());
            return;
        }
        subscription.hold();
        boolean events = eventsPath.equals(socket.path());
        clients.put(key, new Client(key, socket, events, FeedFilter.of(socket.query()), admission.caller(), admission.owner()));
        // connection events are handled on worker threads: a close may have been handled before this open
        if (socket.isClosed()) {
            forget(key);
        }
    }

    public void close(@Header(VertxWebsocketConstants.CONNECTION_KEY) String key) {
        forget(key);
    }

    /** Removes a client and gives its slot back; only the first of several callers for the same client does. */
    private void forget(String key) {
        Client client = clients.remove(key);
        if (client != null) {
            slots.giveBack(client.owner);
        }
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
            if (client.filter.matches(message) && message.readableBy(client.caller)) {
                send(client, client.events ? message.event() : message.text());
            }
        }
    }

    /**
     * A typed pipeline event from the events channel (batch_persisted): to {@code /events} clients, whatever their
     * filter; a key bound to subjects gets only the ids it may read, and no event another publisher made up.
     */
    public void event(@Body String text) {
        if (!hasEventClients()) {
            return;
        }
        BatchPersistedEvent batch = BatchPersistedEvent.read(text, mapper);
        for (Client client : clients.values()) {
            if (!client.events) {
                continue;
            }
            String frame = batch != null ? batch.frameFor(client.caller) : client.caller.isBoundToSubjects() ? null : text;
            if (frame != null) {
                send(client, frame);
            }
        }
    }

    /** The {@code /stats} figures as a stats event: to {@code /events} clients that may call {@code GET /stats}. */
    public void stats(@Body String event) {
        for (Client client : clients.values()) {
            if (client.events && client.caller.has(Scope.READ)) {
                send(client, event);
            }
        }
    }

    private void send(Client client, String frame) {
        ServerWebSocket socket = client.socket;
        if (socket.isClosed()) {
            forget(client.key);
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
     * up hears how many frames it missed without waiting for the next one, closed connections are forgotten, and
     * connections whose key no longer works are closed.
     */
    public void sweep() {
        slots.expireUnclaimed();
        subscription.clients(clients.size());
        long now = System.nanoTime();
        for (Client client : clients.values()) {
            // a connection that ended without a close event (e.g. the feed server restarted on a route reload)
            if (client.socket.isClosed()) {
                forget(client.key);
                continue;
            }
            if (!stillAdmitted.test(client.caller, client.socket.remoteAddress())) {
                LOG.info("Closing feed client {}: its key was revoked, or anonymous access has ended", client.key);
                forget(client.key);
                client.socket.close(POLICY_VIOLATION, "no longer authorized");
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
        forget(client.key);
        client.socket.close(POLICY_VIOLATION, "too slow");
    }

    private static String gap(long dropped, String reason) {
        return "{\"type\":\"gap\",\"dropped\":" + dropped + ",\"reason\":\"" + reason + "\"}";
    }

    private static final class Client {
        final String key;
        final ServerWebSocket socket;
        final boolean events;
        final FeedFilter filter;
        final Principal caller;
        /** Whose slot it holds: a key's id, or anonymous@address. */
        final String owner;
        long dropped;
        long behindSince;

        Client(String key, ServerWebSocket socket, boolean events, FeedFilter filter, Principal caller, String owner) {
            this.key = key;
            this.socket = socket;
            this.events = events;
            this.filter = filter;
            this.caller = caller;
            this.owner = owner;
        }
    }
}

