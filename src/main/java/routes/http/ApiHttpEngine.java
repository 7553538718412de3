package routes.http;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * Puts every platform-http route (the REST API) on the http.port server. With the management server on its
 * own port there are two Vert.x servers, and the stock engine cannot tell which one routes belong to (it falls
 * back to port 8080).
 */
public final class ApiHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public ApiHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
