package routes.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.OnCamelContextStopping;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.StringRedisSerializer;

import routes.admin.AdminAudit;
import routes.admin.RouteOperations;
import routes.deadletters.DeadLetterApi;
import routes.deadletters.DeadLetters;
import routes.drain.QueuedMessages;
import routes.drain.RedisMessageQueue;
import routes.drain.RedisQueueComponent;
import routes.feed.FeedClients;
import routes.feed.FeedConnectionErrors;
import routes.feed.FeedEvents;
import routes.feed.FeedSlots;
import routes.feed.FeedSubscription;
import routes.feed.GatedWebsocketComponent;
import routes.http.ApiHttpEngine;
import routes.http.ApiHttpServer;
import routes.http.ErrorResponses;
import routes.http.HttpErrorPages;
import routes.http.ReadinessGate;
import routes.http.ResponseHeaders;
import routes.http.ServerTls;
import routes.ingest.IngestRequests;
import routes.ingest.MessageParser;
import routes.ingest.QueueDepthGate;
import routes.model.MessageJson;
import routes.observe.DependencyHealthChecks;
import routes.observe.DrainHealthCheck;
import routes.observe.DrainStall;
import routes.observe.JolokiaAccess;
import routes.observe.PipelineMetrics;
import routes.observe.PipelineStats;
import routes.observe.RemoteJmx;
import routes.observe.TransientRetries;
import routes.query.MessageQueries;
import routes.store.BatchAggregationStrategy;
import routes.store.BatchInsert;
import routes.store.BatchRows;
import routes.store.BatchWindow;
import routes.store.PersistFailures;
import routes.security.AllowedOrigins;
import routes.security.ApiGate;
import routes.security.ApiKeys;
import routes.security.FeedGate;
import routes.security.FeedTickets;
import routes.security.KeyApi;
import routes.security.RateLimits;
import routes.store.RejectedBatches;
import routes.store.Retention;

/** The one place where beans are made and bound; the route files refer to them by these names. */
public final class MessageLoggerConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(MessageLoggerConfiguration.class);
    /** The feed path that carries typed events; every other path carries the plain message stream. */
    public static final String EVENTS_PATH = "/events";
    /** How long the feed stays subscribed after its last client left (a reconnecting dashboard finds it ready). */
    private static final Duration FEED_LINGER = Duration.ofSeconds(30);
    /** How long a handshake the feed's gate admitted may take to become a socket before its slot is given back. */
    private static final Duration FEED_UNCLAIMED_SLOT_TIMEOUT = Duration.ofSeconds(10);
    /** The route that claims from the queue, in routes.yaml; suspending it is how an operator pauses the drain. */
    private static final String DRAIN_ROUTE = "drain-queue";

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<String, String> properties = key -> context.getPropertiesComponent().resolveProperty(key).orElse(null);
        // every value checked before any server starts; read again with the URLs of the embedded ones, if any
        Settings declared = Settings.load(properties);
        EmbeddedServers embedded = EmbeddedServers.start(declared.embedded(), properties);
        Settings settings = embedded.isEmpty() ? declared : Settings.load(embedded.urlsIn(properties));
        stopAfterEverythingElse(context, embedded);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();

        ObjectMapper mapper = MessageJson.newMapper();
        MessageJson json = new MessageJson(mapper);
        MessageParser parser = new MessageParser(mapper, clock);

        HikariDataSource dataSource = dataSource(settings);
        migrate(dataSource, settings);
        registry.bind("dataSource", dataSource);

        JedisConnectionFactory redisConnections = redisConnections(settings.redis());
        registry.bind("redisConnectionFactory", redisConnections);
        registry.bind("redisSerializer", new StringRedisSerializer());
        StringRedisTemplate redis = new StringRedisTemplate(redisConnections);
        // stopped after the routes (and their last batch): then the connections go
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataSource.close();
                redisConnections.destroy();
            }
        }, true, true);

        RedisMessageQueue queue = new RedisMessageQueue(redis, settings.queue(), settings.instanceId(),
                settings.instanceTimeout(), settings.maxInFlight());
        registry.bind("messageQueue", queue);
        registry.bind("redis-queue", new RedisQueueComponent());
        DeadLetters deadLetters = new DeadLetters(mapper, clock);
        registry.bind("deadLetters", deadLetters);
        registry.bind("deadLetterApi", new DeadLetterApi(mapper.getFactory(), parser, json,
                settings.queryDefaultLimit(), settings.queryMaxLimit()));

        // Camel's metrics and ours share this registry (camel-micrometer-prometheus finds it by this name)
        MeterRegistry metrics = registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (metrics == null) {
            metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind("metricsRegistry", metrics);
        }
        DrainStall stall = new DrainStall(settings.stallTimeout(), clock, () -> drainPaused(context));
        PipelineMetrics pipelineMetrics = new PipelineMetrics(metrics, queue, stall);
        registry.bind("pipelineMetrics", pipelineMetrics);
        registry.bind("queuedMessages", new QueuedMessages(parser, json, queue, deadLetters, pipelineMetrics,
                settings.maxEntryBytes(), settings.maxAttempts()));
        DependencyHealthChecks.of(redis, dataSource, stall).forEach(check -> registry.bind("health-" + check.getId(), check));
        DrainHealthCheck drainCheck = new DrainHealthCheck(stall, queue);
        registry.bind("health-" + drainCheck.getId(), drainCheck);
        registry.bind("transientRetries", new TransientRetries(stall));
        // takes the place of Camel's Jolokia plugin on the management port: off beyond loopback, no web pages
        registry.bind(JolokiaAccess.NAME, new JolokiaAccess(settings.managementHost(), settings.managementPort()));
        if (settings.jmxPort() > 0) {
            RemoteJmx.start(settings.jmxHost(), settings.jmxPort(), settings.jmxPasswordFile(), settings.jmxAccessFile());
        }

        ErrorResponses errors = new ErrorResponses(mapper);
        registry.bind("errorResponses", errors);
        // the API and the feed answer 503 until every route is there, and again from the moment the context stops
        ReadinessGate readiness = new ReadinessGate(errors);
        context.addLifecycleStrategy(LifecycleStrategySupport.adapt((OnCamelContextStopping) stopping -> readiness.close()));
        ApiKeys keys = apiKeys(settings.security(), dataSource);
        registry.bind("apiKeys", keys);
        RateLimits limits = new RateLimits(redis, settings.queue() + ":ratelimit:", settings.security().rateLimit(),
                settings.security().rateLimitWindow().toMillis(), System::currentTimeMillis);
        registry.bind("rateLimits", limits);
        ApiGate gate = new ApiGate(keys, ApiGate.Anonymous.of(settings.security().anonymous()), errors::json, limits);

        feed(context, settings, mapper, redis, redisConnections, queue, pipelineMetrics, stall, keys, gate, readiness);

        registry.bind("batchAggregation", new BatchAggregationStrategy(settings.batchSize()));
        registry.bind("batchWindow", new BatchWindow(settings.batchInterval(), clock));
        registry.bind("batchInsert", new BatchInsert(dataSource, new BatchRows(json)));
        registry.bind("persistFailures", new PersistFailures());
        registry.bind("retention", new Retention(dataSource));
        registry.bind("rejectedBatches", new RejectedBatches(context.createProducerTemplate(), deadLetters));

        registry.bind("ingestRequests", new IngestRequests(parser, json, settings.ingestMaxMessages(), queue, pipelineMetrics,
                settings.feed().channel()));
        registry.bind("queueDepthGate", new QueueDepthGate(queue::waiting, settings.ingestMaxQueueDepth(), 100));
        registry.bind("messageQueries", new MessageQueries(mapper.getFactory(), settings.queryDefaultLimit(), settings.queryMaxLimit()));
        registry.bind("responseHeaders", new ResponseHeaders());
        registry.bind("keyApi", new KeyApi(keys, mapper));
        registry.bind("adminAudit", new AdminAudit(dataSource, mapper, settings.queryDefaultLimit(), settings.queryMaxLimit(),
                errors::json));
        registry.bind("routeOperations", new RouteOperations(context, mapper.getFactory()));
        ApiHttpEngine engine = new ApiHttpEngine(settings.httpPort());
        // every API route runs the gate first, from the moment it is registered
        engine.setHandlers(List.of(gate));
        registry.bind("platform-http-engine", engine);
        context.addService(apiServer(settings, errors, readiness), true, true);
        context.addStartupListener(new HttpErrorPages(errors, readiness));

        if (settings.routesReload()) {
            ValidatingRouteReload reload = new ValidatingRouteReload(settings.routesReloadDirectory(), "*.yaml",
                    settings.routesLocation());
            context.addService(reload);
            reload.rememberTheRunningVersions();
        }
    }

    /**
     * The embedded servers stop last: added before the services that close the database pool and the Redis connections,
     * they are stopped after them (Camel stops services in reverse order), so the last batch is written first.
     */
    private static void stopAfterEverythingElse(CamelContext context, EmbeddedServers embedded) throws Exception {
        if (embedded.isEmpty()) {
            return;
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                embedded.close();
            }
        }, true, true);
        ShutdownStrategy shutdown = context.getShutdownStrategy();
        // as long as camel-main's own shutdown hook waits for the context (its timeout and 15 s more)
        Duration patience = Duration.ofMillis(shutdown.getTimeUnit().toMillis(shutdown.getTimeout())).plusSeconds(15);
        embedded.stopOnExit(() -> context.isStarting() || context.isStarted() || context.isStopping(), patience);
    }

    /** The API keys, read once before any route starts; says at start who may call without a key. */
    private static ApiKeys apiKeys(Settings.SecuritySettings security, HikariDataSource dataSource) {
        ApiKeys keys = new ApiKeys(dataSource, security.adminKey());
        keys.refresh();
        switch (ApiGate.Anonymous.of(security.anonymous())) {
            case ANY -> LOG.warn("security.anonymous=any: anyone who reaches the API and the feed may use them without a key");
            case NONE -> LOG.info("API keys required for every request (security.anonymous=none)");
            case LOOPBACK -> LOG.info(keys.anyKeys()
                    ? "API keys required for every request"
                    : "No API key exists yet: only loopback clients may use the API and the feed, without a key;"
                    + " set SECURITY_ADMIN_KEY to create keys (see README, Security)");
        }
        return keys;
    }

    /**
     * The live feed: its gate and tickets, its clients, what publishes to it, the subscription that relays to it, and
     * /stats.
     */
    private static void feed(CamelContext context, Settings settings, ObjectMapper mapper, StringRedisTemplate redis,
                             JedisConnectionFactory redisConnections, RedisMessageQueue queue, PipelineMetrics metrics,
                             DrainStall stall, ApiKeys keys, ApiGate apiGate, ReadinessGate readiness) throws Exception {
        Registry registry = context.getRegistry();
        Settings.FeedSettings feed = settings.feed();
        RedisMessageListenerContainer subscriber = feedSubscriber(context, redisConnections);
        registry.bind("feedSubscriber", subscriber);
        FeedSlots slots = new FeedSlots(feed.maxClients(), feed.maxClientsPerKey(), FEED_UNCLAIMED_SLOT_TIMEOUT);
        FeedClients clients = new FeedClients(mapper, EVENTS_PATH, feed.clientBufferBytes(), feed.slowClientTimeout(),
                new FeedSubscription(subscriber, FEED_LINGER), slots, apiGate::stillAdmits);
        registry.bind("feedClients", clients);
        registry.bind("feedConnectionErrors", new FeedConnectionErrors());
        // tickets sit beside the queue's other keys, so every instance of this service shares them
        FeedTickets tickets = new FeedTickets(redis, settings.queue() + ":feed-ticket:", feed.ticketTtl(), keys);
        registry.bind("feedTickets", tickets);
        AllowedOrigins origins = new AllowedOrigins(feed.allowedOrigins(), settings.httpPort(), feed.port());
        registry.bind("vertx-websocket", new GatedWebsocketComponent(readiness,
                new FeedGate(apiGate, tickets, origins, slots::reserve)));
        registry.bind("feedEvents", new FeedEvents());
        // the WebSocket server's options (WSS with http.tls.*), named by both feed routes in routes/feed.yaml
        registry.bind("feedServerOptions", ServerTls.options(settings.http().tlsCertFile(), settings.http().tlsKeyFile()));
        registry.bind("pipelineStats", new PipelineStats(mapper.getFactory(), metrics, stall, queue, clients, feed.port(),
                EVENTS_PATH));
    }

    /** The REST API's server on http.host:http.port (camel.server is off: see ApiHttpServer). */
    private static ApiHttpServer apiServer(Settings settings, ErrorResponses errors, ReadinessGate readiness) {
        Settings.HttpSettings http = settings.http();
        HttpServerOptions options = ServerTls.options(http.tlsCertFile(), http.tlsKeyFile())
                .setHost(http.host())
                .setPort(settings.httpPort());
        return new ApiHttpServer(options, settings.maxEntryBytes(), http.readTimeout(), http.idleTimeout(),
                http.corsAllowedOrigins(), errors, readiness);
    }

    /** The drain route is suspended or stopped (JMX, Jolokia), or gone from the routes. */
    private static boolean drainPaused(CamelContext context) {
        ServiceStatus status = context.getRouteController().getRouteStatus(DRAIN_ROUTE);
        return status == null || status.isSuspending() || status.isSuspended() || status.isStopping() || status.isStopped();
    }

    /**
     * The pub/sub subscription behind the feed route, started while feed clients are connected (FeedSubscription).
     * Spring's default hands each message to a new thread (out of order); here one thread relays them in order,
     * and when it falls behind the subscription waits rather than queueing without bound. It resubscribes by
     * itself after Redis comes back.
     */
    private static RedisMessageListenerContainer feedSubscriber(CamelContext context, JedisConnectionFactory connections)
            throws Exception {
        ThreadPoolExecutor relay = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
                runnable -> new Thread(runnable, "feed-relay"), (task, executor) -> {
                    try {
                        executor.getQueue().put(task);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new RejectedExecutionException("feed relay interrupted", e);
                    }
                });
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setTaskExecutor(relay);
        // Jedis subscribes by blocking a thread of its own; without this it would take the relay's only thread
        ExecutorService subscription = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "feed-subscription"));
        container.setSubscriptionExecutor(subscription);
        container.afterPropertiesSet();
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                container.destroy();
                relay.shutdownNow();
                subscription.shutdownNow();
            }
        }, true, true);
        return container;
    }

    private static HikariDataSource dataSource(Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("message-logger-db");
        config.setJdbcUrl(settings.dbUrl());
        config.setUsername(settings.dbUser());
        config.setPassword(settings.dbPassword());
        config.setSchema(settings.dbSchema());
        config.setMaximumPoolSize(settings.dbPoolSize());
        // how long a query waits for a connection while the database is unreachable before answering 503
        config.setConnectionTimeout(settings.dbTimeout().toMillis());
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigurationException(ConfigKeys.DB_URL, "cannot connect to " + Settings.withoutPassword(settings.dbUrl())
                    + " as " + settings.dbUser() + ": " + cause.getMessage());
        }
    }

    /** Applies sql/ (packaged as db/migration) before any route runs. */
    private static void migrate(HikariDataSource dataSource, Settings settings) {
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(settings.dbSchema())
                    .createSchemas(true)
                    .locations(settings.dbMigrations())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new ConfigurationException(ConfigKeys.DB_MIGRATIONS, "migrating the database failed: " + e.getMessage());
        }
    }

    private static JedisConnectionFactory redisConnections(Settings.RedisSettings redis) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(redis.host(), redis.port());
        server.setDatabase(redis.database());
        if (redis.username() != null) {
            server.setUsername(redis.username());
        }
        if (redis.password() != null) {
            server.setPassword(RedisPassword.of(redis.password()));
        }
        GenericObjectPoolConfig<Object> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(redis.poolSize());
        pool.setMaxIdle(redis.poolSize());
        pool.setMaxWait(redis.timeout());
        JedisClientConfiguration.JedisClientConfigurationBuilder client = JedisClientConfiguration.builder()
                .connectTimeout(redis.timeout())
                .readTimeout(redis.timeout());
        if (redis.tls()) {
            client.useSsl();
        }
        @SuppressWarnings({"rawtypes", "unchecked"})
        JedisClientConfiguration clientConfig = client.usePooling().poolConfig((GenericObjectPoolConfig) pool).build();
        JedisConnectionFactory factory = new JedisConnectionFactory(server, clientConfig);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
