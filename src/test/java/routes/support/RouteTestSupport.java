package routes.support;


import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the route tests. A subclass is annotated with {@code @CamelMainTest} and boots the real application
 * once for all its tests (one test instance per class). Its resources are claimed when the instance is made,
 * before the application starts, and released after the application has stopped, so a batch flushed on stop
 * or a last heartbeat cannot recreate what was cleaned up.
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
