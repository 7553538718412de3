package routes.support;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

import routes.config.MessageLoggerConfiguration;

/**
 * Base of the route tests ({@code *RouteTest}). A subclass is annotated with {@code @CamelMainTest}, whose
 * {@code properties} hold only what that class changes ({@code batch.size}, {@code security.admin-key}, ...), and
 * boots the real application, routes.yaml and {@link MessageLoggerConfiguration}, once for all its tests (one test
 * instance per class). Its ports, schema, queue and instance id ({@link OwnedResources}) are claimed when the
 * instance is made, before the application starts, and released after the application has stopped, so a batch
 * flushed on stop or a last heartbeat cannot recreate what was cleaned up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RouteTestSupport implements CamelContextAware {

    protected final OwnedResources owned = OwnedResources.claimFor(getClass());
    protected final ApiClient api = new ApiClient(owned.httpPort());
    protected final MessageTable table = new MessageTable(owned.schema());
    protected final TestQueue queue = new TestQueue(owned.queueName());

    /** PostgreSQL connections this JVM held before the application booted (other classes' leftovers). */
    protected final int databaseConnectionsBeforeBoot = DatabaseConnections.heldByThisProcess();

    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** The beans of the application, added as MessageLoggerApplication's main adds them. */
    @Configure
    protected void addTheApplicationsBeans(MainConfigurationProperties configuration) {
        configuration.addConfiguration(MessageLoggerConfiguration.class);
    }

    @AfterAll
    void stopTheApplicationAndReleaseResources() {
        try {
            if (context != null) {
                context.stop();
            }
        } finally {
            queue.close();
            owned.release();
        }
    }
}
