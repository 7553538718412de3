package routes.config;

import java.time.Duration;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.DatabaseConnections;
import routes.support.RouteTestSupport;

import static routes.support.Await.await;
import static routes.support.Await.holdsFor;

/** The application keeps within db.pool-size database connections: its configuration runs once, its pool is the only one. */
@CamelMainTest(properties = {
        "batch.interval=200"
})
class DatabaseConnectionsRouteTest extends RouteTestSupport {

    @Test
    void opens_no_more_database_connections_than_db_pool_size() {
        await(Duration.ofSeconds(5), () -> opened() >= 2, "the pool holds its db.pool-size (2) idle connections");
        holdsFor(Duration.ofSeconds(1), this::opened, held -> held <= 2,
                "the application holds at most db.pool-size (2) connections to PostgreSQL");
    }

    private int opened() {
        return DatabaseConnections.heldByThisProcess() - databaseConnectionsBeforeBoot;
    }
}
