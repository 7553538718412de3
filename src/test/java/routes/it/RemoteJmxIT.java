package routes.it;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.awaitValue;
import static routes.support.Await.holdsFor;

/**
 * An operator's JMX client on the remote JMX port lists the routes with their statistics and suspends the
 * drain: messages wait in Redis and none is written; resumed, they are written exactly once.
 */
class RemoteJmxIT {

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    @Test
    void suspending_the_drain_over_remote_jmx_keeps_messages_in_redis_and_resuming_writes_them_once() throws Exception {
        int jmxPort = 5190 + (int) (ProcessHandle.current().pid() % 9);
        ServiceProcess service = fixture.start("jmx-a", Map.of("JMX_PORT", Integer.toString(jmxPort),
                "BATCH_SIZE", "100", "BATCH_INTERVAL", "200"));
        service.awaitReady(Duration.ofSeconds(60));

        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            Set<ObjectName> routes = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null);
            assertTrue(routes.stream().anyMatch(n -> n.getKeyProperty("name").equals("\"drain-queue\"")), routes::toString);
            ObjectName drain = routes.stream().filter(n -> n.getKeyProperty("name").equals("\"drain-queue\"")).findFirst().orElseThrow();
            assertEquals("Started", jmx.getAttribute(drain, "State"));
            assertNotNull(jmx.getAttribute(drain, "ExchangesCompleted"));
            assertNotNull(jmx.getAttribute(drain, "MeanProcessingTime"));

            jmx.invoke(drain, "suspend", null, null);
            assertEquals("Suspended", jmx.getAttribute(drain, "State"));
            fixture.push(QueuedMessageTexts.distinct(2_000));
            // a claim that was already waiting when the drain was suspended hands its entry straight back
            awaitValue(Duration.ofSeconds(10), fixture::queueLength, n -> n == 2_000, "all 2000 messages wait on the list");
            holdsFor(Duration.ofSeconds(3), () -> fixture.storedRows() == 0 && fixture.queueLength() == 2_000,
                    "nothing is written while the drain is suspended");

            jmx.invoke(drain, "resume", null, null);
            ServiceFixture.StoredCounts stored = fixture.awaitSettled(Duration.ofSeconds(60));
            assertEquals(2_000, stored.rows());
            assertEquals(2_000, stored.distinctSeqs());
        }
    }
}
