package routes.feed;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConsumer;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHelper;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHost;
import org.apache.camel.component.vertx.websocket.VertxWebsocketHostKey;
import org.apache.camel.spi.annotations.Component;

/**
 * camel-vertx-websocket (bound as {@code vertx-websocket}) as the feed needs it.
 *
 * <p>Its WebSocket servers answer through one Router of ours whose first handlers are the service's readiness (503
 * while it starts or stops, when a path may not be served yet or any more) and the feed's gate, so every handshake
 * is checked before the upgrade, on every path, whatever routes come and go.
 *
 * <p>Consumers that share a host and port (feed-clients on {@code /}, feed-event-clients on {@code /events}) can be
 * stopped and started one at a time. Camel 4.17 forgets the shared host as soon as the first of them stops, though
 * its server keeps running for the other path; the next start then opens a second server on the same port, with a
 * new router that knows only the restarted path, and Vert.x deals connections to the two servers in turn: every
 * other handshake met the old router and got 404. Stopping the other consumer afterwards found no host at all, so its
 * path and the old server outlived every route (CAMEL-24788, fixed after 4.17). Here a host is forgotten, and its
 * server closed, only when its last consumer stops.
 */
// the name finds the stock endpoint options (fireWebSocketConnectionEvents, ...): without it they are silently ignored
@Component("vertx-websocket")
public final class GatedWebsocketComponent extends VertxWebsocketComponent {

    private final Handler<RoutingContext> readiness;
    private final Handler<RoutingContext> gate;
    /** The paths each host serves, as consumers connected them. */
    private final Map<VertxWebsocketHostKey, Set<String>> paths = new HashMap<>();

    public GatedWebsocketComponent(Handler<RoutingContext> readiness, Handler<RoutingContext> gate) {
        this.readiness = readiness;
        this.gate = gate;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Router router = Router.router(getVertx());
        router.route().order(-200).handler(readiness);
        router.route().order(-100).handler(gate);
        setRouter(router);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        setRouter(null);
        paths.clear();
    }

    @Override
    public synchronized void connectConsumer(VertxWebsocketConsumer consumer) {
        URI uri = consumer.getEndpoint().getConfiguration().getWebsocketURI();
        paths.computeIfAbsent(VertxWebsocketHelper.createHostKey(uri), key -> new HashSet<>()).add(uri.getPath());
        super.connectConsumer(consumer);
    }

    @Override
    public synchronized void disconnectConsumer(VertxWebsocketConsumer consumer) {
        URI uri = consumer.getEndpoint().getConfiguration().getWebsocketURI();
        VertxWebsocketHostKey key = VertxWebsocketHelper.createHostKey(uri);
        Set<String> served = paths.get(key);
        VertxWebsocketHost host = getVertxHostRegistry().get(key);
        if (served == null || !served.remove(uri.getPath()) || host == null) {
            return;
        }
        if (served.isEmpty()) {
            paths.remove(key);
            getVertxHostRegistry().remove(key);
        }
        host.disconnect(uri.getPath()); // closes the server once it serves no path
    }
}
