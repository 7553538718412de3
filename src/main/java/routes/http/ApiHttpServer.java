package routes.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP server, in place of camel-main's (camel.server.*): Camel 4.17 creates that one with default
 * Vert.x options and offers no way to set an idle timeout, PEM TLS or a connection handler. This is the same
 * platform-http server (router, body limit, Vert.x instance) listening with ours, and every request passes four
 * guards before any route: {@link RequestDeadlines} (408, closed connections), the {@link ReadinessGate} (503 while
 * starting or stopping), {@link CorsPolicy} and {@link JsonBodies} (415).
 */
public final class ApiHttpServer extends VertxPlatformHttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);
    /** Router order of the guards: before every route (routes count up from 0); room for more in between. */
    private static final int DEADLINES_ORDER = -300;
    /** After the deadlines, which bound every connection, answered or not; before anything else answers. */
    private static final int READINESS_ORDER = -250;
    private static final int CORS_ORDER = -200;
    private static final int JSON_BODIES_ORDER = -100;

    private final HttpServerOptions options;
    private final Duration readTimeout;
    private final Duration idleTimeout;
    private final List<String> corsAllowedOrigins;
    private final ErrorResponses errors;
    private final ReadinessGate readiness;
    private Vertx vertx;
    private HttpServer server;

    /**
     * @param options host, port and TLS ({@link ServerTls}); the idle timeout is set here
     * @param maxBodySize larger bodies are answered 413
     */
    public ApiHttpServer(HttpServerOptions options, long maxBodySize, Duration readTimeout, Duration idleTimeout,
                         List<String> corsAllowedOrigins, ErrorResponses errors, ReadinessGate readiness) {
        super(configuration(options, maxBodySize));
        this.options = new HttpServerOptions(options)
                .setIdleTimeout((int) idleTimeout.toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        this.readTimeout = readTimeout;
        this.idleTimeout = idleTimeout;
        this.corsAllowedOrigins = corsAllowedOrigins;
        this.errors = errors;
        this.readiness = readiness;
    }

    private static VertxPlatformHttpServerConfiguration configuration(HttpServerOptions options, long maxBodySize) {
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(options.getHost());
        configuration.setBindPort(options.getPort());
        configuration.setMaxBodySize(maxBodySize);
        // the API takes JSON only: no multipart body is ever written to disk
        configuration.getBodyHandler().setHandleFileUploads(false);
        return configuration;
    }

    /** A Vert.x instance of our own, closed in doStop (Camel's server closes its own on a thread we do not start). */
    @Override
    protected Vertx lookupVertx() {
        if (vertx == null) {
            vertx = createVertxInstance();
        }
        return vertx;
    }

    @Override
    protected void startServer() throws Exception {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(options.getPort()));
        RequestDeadlines deadlines = new RequestDeadlines(getVertx(), errors, readTimeout, idleTimeout);
        router.route().order(DEADLINES_ORDER).handler(deadlines::handle);
        router.route().order(READINESS_ORDER).handler(readiness);
        router.route().order(CORS_ORDER).handler(new CorsPolicy(corsAllowedOrigins, errors));
        router.route().order(JSON_BODIES_ORDER).handler(new JsonBodies(errors));

        server = getVertx().createHttpServer(options)
                .connectionHandler(deadlines::connected)
                .requestHandler(router);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot listen on " + options.getHost() + ":" + options.getPort() + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
        LOG.info("API listening on {}://{}:{}", options.isSsl() ? "https" : "http", options.getHost(), server.actualPort());
    }

    @Override
    protected void stopServer() {
        if (server == null) {
            return;
        }
        // as Camel's own server does: a restarted context makes a new component for the new router
        getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
        try {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Closing the API server failed: {}", e.getMessage());
        } finally {
            server = null;
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx = null;
        }
    }

    @Override
    public int getPort() {
        return server != null ? server.actualPort() : options.getPort();
    }
}
