package routes.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.camel.ServiceStatus;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * OWASP API8:2023 Security Misconfiguration: a management port bound beyond loopback (as in a container, where
 * 0.0.0.0 is needed for Docker's port forwarding) keeps health and metrics, and Jolokia is off, on every address
 * the port answers on.
 */
@CamelMainTest(properties = {
        "management.host=0.0.0.0"
})
class SecurityMisconfigurationExposedPortRouteTest extends RouteTestSupport {

    private static final String DRAIN_MBEAN = "org.apache.camel:context=message-logger,type=routes,name=%22drain-queue%22";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String host, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + owned.managementPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** 127.0.0.1 and the machine's own IPv4 addresses: where the port answers once bound to 0.0.0.0. */
    private static List<String> addresses() throws Exception {
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1"));
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    hosts.add(address.getHostAddress());
                }
            }
        }
        return hosts;
    }

    @Test
    void jolokia_is_off_and_health_and_metrics_answer() throws Exception {
        for (String host : addresses()) {
            HttpResponse<String> read = get(host, "/observe/jolokia/read/" + DRAIN_MBEAN + "/State");
            assertEquals(403, read.statusCode(), () -> host + ": " + read.body());
            assertTrue(read.body().contains("Jolokia is off"), read::body);
            assertEquals(403, get(host, "/observe/jolokia/exec/" + DRAIN_MBEAN + "/suspend()").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                            URI.create("http://" + host + ":" + owned.managementPort() + "/observe/jolokia"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, post.statusCode(), post::body);

            assertEquals(200, get(host, "/observe/health/live").statusCode(), host);
            assertEquals(200, get(host, "/observe/metrics").statusCode(), host);
        }
        assertEquals(ServiceStatus.Started, getCamelContext().getRouteController().getRouteStatus("drain-queue"));
    }
}
