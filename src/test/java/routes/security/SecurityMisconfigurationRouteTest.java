package routes.security;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.MessageTable;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * OWASP API8:2023 Security Misconfiguration, on the management port. What an outside tester did with Jolokia
 * (SQL through the context's requestStringBody, {@code {{env:...}}} placeholders through createEndpoint, stop()
 * ending the process, all also from a web page's GET) is refused and changes nothing; what operators need (route
 * start, stop, suspend, resume; statistics; health) still works; the port listens on loopback only; and the
 * configured passwords appear in no MBean name or attribute, nor in /stats, /openapi.json, health or metrics.
 * The application runs with its packaged management.host (127.0.0.1); the local Redis and PostgreSQL accept any
 * password, so real secrets go through the real clients.
 */
@CamelMainTest(properties = {
        "db.url=" + MessageTable.DB_URL,
        "db.password=" + SecurityMisconfigurationRouteTest.DB_PASSWORD,
        "redis.url=redis://default:" + SecurityMisconfigurationRouteTest.REDIS_PASSWORD + "@127.0.0.1:6379",
        "security.admin-key=" + SecurityMisconfigurationRouteTest.ADMIN_KEY
})
class SecurityMisconfigurationRouteTest extends RouteTestSupport {

    static final String DB_PASSWORD = "db-pw-3f9a71c2e8d5";
    static final String REDIS_PASSWORD = "redis-pw-b41d07e6a5c9";
    static final String ADMIN_KEY = "admin-key-secret-9d8c7b6a5f4e3d2c1b0a";

    private static final String CONTEXT_MBEAN = "org.apache.camel:context=message-logger,type=context,name=%22message-logger%22";
    private static final String DRAIN_MBEAN = "org.apache.camel:context=message-logger,type=routes,name=%22drain-queue%22";
    private static final Set<String> ROUTE_OPERATIONS = Set.of("start", "stop", "suspend", "resume");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> management(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + owned.managementPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> jolokiaPost(String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + owned.managementPort() + "/observe/jolokia"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Jolokia answers HTTP 200 with the request's own status in the body. */
    private static int jolokiaStatus(HttpResponse<String> response) {
        return Json.parse(response.body()).path("status").asInt(response.statusCode());
    }

    private static String exec(String mbean, String operation, String... arguments) {
        var request = Json.object().put("type", "exec").put("mbean", mbean.replace("%22", "\"")).put("operation", operation);
        var args = request.putArray("arguments");
        Arrays.stream(arguments).forEach(args::add);
        return Json.write(request);
    }

    // ---- what the tester did ----

    @Test
    void sql_through_the_context_operations_is_refused_and_creates_nothing() throws Exception {
        String table = owned.schema() + ".jolokia_probe";
        String create = "create table " + table + " (x int)";
        List<HttpResponse<String>> attempts = List.of(
                jolokiaPost(exec(CONTEXT_MBEAN, "requestStringBody(java.lang.String,java.lang.String)", "jdbc:dataSource", create)),
                jolokiaPost(exec(CONTEXT_MBEAN, "sendBody(java.lang.String,java.lang.Object)", "jdbc:dataSource", create)),
                jolokiaPost(exec(CONTEXT_MBEAN, "requestStringBody", "jdbc:dataSource", create)),
                management("/observe/jolokia/exec/" + CONTEXT_MBEAN + "/requestStringBody(java.lang.String,java.lang.String)"
                        + "/jdbc:dataSource/" + create.replace(" ", "%20")),
                management("/observe/jolokia/exec/" + CONTEXT_MBEAN + "/sendBody(java.lang.String,java.lang.Object)"
                        + "/jdbc:dataSource/" + create.replace(" ", "%20")));
        for (HttpResponse<String> attempt : attempts) {
            assertEquals(403, jolokiaStatus(attempt), attempt::body);
        }
        assertFalse(tableExists(owned.schema(), "jolokia_probe"), "no SQL ran");
    }

    @Test
    void create_endpoint_is_refused_and_no_placeholder_is_resolved_into_an_mbean() throws Exception {
        List<HttpResponse<String>> attempts = List.of(
                jolokiaPost(exec(CONTEXT_MBEAN, "createEndpoint(java.lang.String)", "log:probe-{{db.password}}")),
                management("/observe/jolokia/exec/" + CONTEXT_MBEAN + "/createEndpoint(java.lang.String)/log:probe-%7B%7Benv:HOME%7D%7D"));
        for (HttpResponse<String> attempt : attempts) {
            assertEquals(403, jolokiaStatus(attempt), attempt::body);
        }
        Set<ObjectName> probes = mbeans().queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null).stream()
                .filter(name -> name.toString().contains("probe-")).collect(Collectors.toSet());
        assertEquals(Set.of(), probes, "no endpoint was created");
    }

    @Test
    void stopping_or_suspending_the_context_is_refused_and_it_keeps_running() throws Exception {
        List<HttpResponse<String>> attempts = List.of(
                management("/observe/jolokia/exec/" + CONTEXT_MBEAN + "/stop()"),
                management("/observe/jolokia/exec/" + CONTEXT_MBEAN + "/suspend()"),
                jolokiaPost(exec(CONTEXT_MBEAN, "stop()")),
                jolokiaPost(exec(CONTEXT_MBEAN, "shutdown")));
        for (HttpResponse<String> attempt : attempts) {
            assertEquals(403, jolokiaStatus(attempt), attempt::body);
        }
        assertEquals(ServiceStatus.Started, getCamelContext().getStatus());
        assertEquals(200, management("/observe/health/live").statusCode());
    }

    @Test
    void other_operations_are_refused_the_jvms_and_the_routes_beyond_the_four() throws Exception {
        List<String> refused = List.of(
                "/observe/jolokia/exec/java.lang:type=Memory/gc()",
                "/observe/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties()",
                "/observe/jolokia/exec/jdk.management.jfr:type=FlightRecorder/newRecording()",
                "/observe/jolokia/exec/" + DRAIN_MBEAN + "/remove()",
                "/observe/jolokia/exec/" + DRAIN_MBEAN + "/stop(long,boolean)/1/true",
                "/observe/jolokia/exec/" + DRAIN_MBEAN + "/dumpRouteAsXml()");
        for (String path : refused) {
            HttpResponse<String> attempt = management(path);
            assertEquals(403, jolokiaStatus(attempt), () -> path + " -> " + attempt.body());
        }
        assertEquals(ServiceStatus.Started, getCamelContext().getRouteController().getRouteStatus("drain-queue"));
    }

    @Test
    void attribute_writes_are_refused() throws Exception {
        var writeTracing = Json.object().put("type", "write").put("mbean", DRAIN_MBEAN.replace("%22", "\""))
                .put("attribute", "Tracing").put("value", true);
        assertEquals(403, jolokiaStatus(jolokiaPost(Json.write(writeTracing))));
        assertEquals(403, jolokiaStatus(management("/observe/jolokia/write/java.lang:type=Memory/Verbose/true")));
        assertEquals(Boolean.FALSE, mbeans().getAttribute(new ObjectName(DRAIN_MBEAN.replace("%22", "\"")), "Tracing"));
        assertFalse(ManagementFactory.getMemoryMXBean().isVerbose());
    }

    @Test
    void a_web_page_cannot_use_jolokia_even_for_what_it_allows() throws Exception {
        String suspend = "/observe/jolokia/exec/" + DRAIN_MBEAN + "/suspend()";
        String read = "/observe/jolokia/read/" + DRAIN_MBEAN + "/State";
        List<HttpResponse<String>> attempts = List.of(
                management(suspend, "Origin", "http://evil.example"),
                management(read, "Origin", "http://evil.example"),
                management(suspend, "Origin", "null"),
                management(suspend, "Referer", "http://evil.example/page.html"),
                // a page that hides its Referer (referrerpolicy="no-referrer") still gets Sec-Fetch-Site from the browser
                management(suspend, "Sec-Fetch-Site", "cross-site"),
                management(suspend, "Sec-Fetch-Site", "same-site"),
                jolokiaPost(exec(DRAIN_MBEAN, "suspend()"), "Origin", "http://evil.example"));
        for (HttpResponse<String> attempt : attempts) {
            assertEquals(403, attempt.statusCode(), attempt::body);
        }
        assertEquals(ServiceStatus.Started, getCamelContext().getRouteController().getRouteStatus("drain-queue"));
        // an address typed into the browser is the operator's own request
        assertEquals(200, jolokiaStatus(management(read, "Sec-Fetch-Site", "none")));
    }

    // ---- what operators need ----

    @Test
    void route_operations_work_over_get_and_post() throws Exception {
        String route = "/observe/jolokia/exec/" + DRAIN_MBEAN + "/";
        assertEquals(200, jolokiaStatus(management(route + "suspend()")));
        assertEquals("Suspended", routeState());
        assertEquals(200, jolokiaStatus(management(route + "resume()")));
        assertEquals("Started", routeState());
        assertEquals(200, jolokiaStatus(jolokiaPost(exec(DRAIN_MBEAN, "stop()"))));
        assertEquals("Stopped", routeState());
        assertEquals(200, jolokiaStatus(jolokiaPost(exec(DRAIN_MBEAN, "start"))));
        assertEquals("Started", routeState());
    }

    private String routeState() throws Exception {
        HttpResponse<String> state = management("/observe/jolokia/read/" + DRAIN_MBEAN + "/State");
        assertEquals(200, jolokiaStatus(state), state::body);
        return Json.parse(state.body()).path("value").asText();
    }

    @Test
    void route_statistics_list_and_search_can_be_read() throws Exception {
        HttpResponse<String> stats = management("/observe/jolokia/read/" + DRAIN_MBEAN
                + "/ExchangesCompleted,ExchangesFailed,MeanProcessingTime,State");
        assertEquals(200, jolokiaStatus(stats), stats::body);
        JsonNode value = Json.parse(stats.body()).path("value");
        assertTrue(value.has("ExchangesCompleted") && value.has("MeanProcessingTime"), stats::body);
        HttpResponse<String> search = management("/observe/jolokia/search/org.apache.camel:type=routes,*");
        assertEquals(200, jolokiaStatus(search), search::body);
        assertTrue(search.body().contains("drain-queue"), search::body);
        assertEquals(200, jolokiaStatus(management("/observe/jolokia/list/org.apache.camel")));
        assertEquals(200, jolokiaStatus(management("/observe/jolokia/version")));
        assertEquals(200, jolokiaStatus(management("/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage")));
        // a password given as -D would show here
        assertEquals(403, jolokiaStatus(management("/observe/jolokia/read/java.lang:type=Runtime/SystemProperties")));
    }

    @Test
    void health_and_metrics_answer_anonymously() throws Exception {
        HttpResponse<String> health = management("/observe/health?exposureLevel=full&data=true");
        assertEquals(200, health.statusCode(), health::body);
        assertNoSecret("/observe/health", health.body());
        HttpResponse<String> metrics = management("/observe/metrics");
        assertEquals(200, metrics.statusCode());
        assertNoSecret("/observe/metrics", metrics.body());
    }

    @Test
    void the_management_port_listens_on_loopback_only() throws Exception {
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", owned.managementPort()), 2000);
        }
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                // a link-local IPv6 address needs its scope to be dialled; the others say enough
                if (!address.isLoopbackAddress() && !(address instanceof Inet6Address && address.isLinkLocalAddress())) {
                    others.add(address);
                }
            }
        }
        assumeFalse(others.isEmpty(), "this machine has no address beyond loopback");
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                assertThrows(ConnectException.class,
                        () -> socket.connect(new InetSocketAddress(address, owned.managementPort()), 2000),
                        () -> "the management port answers on " + address.getHostAddress());
            }
        }
    }

    @Test
    void every_mbean_operation_is_refused_by_the_policy_but_the_four_on_routes() throws Exception {
        PolicyRestrictor policy;
        try (InputStream in = getClass().getResourceAsStream("/jolokia-access.xml")) {
            policy = new PolicyRestrictor(in);
        }
        List<String> wrong = new ArrayList<>();
        for (ObjectName name : mbeans().queryNames(null, null)) {
            MBeanInfo info;
            try {
                info = mbeans().getMBeanInfo(name);
            } catch (InstanceNotFoundException gone) {
                continue;
            }
            boolean route = "org.apache.camel".equals(name.getDomain()) && "routes".equals(name.getKeyProperty("type"));
            for (MBeanOperationInfo operation : info.getOperations()) {
                String signature = operation.getName() + Arrays.stream(operation.getSignature())
                        .map(MBeanParameterInfo::getType).collect(Collectors.joining(",", "(", ")"));
                boolean expected = route && ROUTE_OPERATIONS.contains(operation.getName());
                if (policy.isOperationAllowed(name, operation.getName()) != expected) {
                    wrong.add(name + " " + operation.getName());
                }
                if (policy.isOperationAllowed(name, signature) != (expected && operation.getSignature().length == 0)) {
                    wrong.add(name + " " + signature);
                }
            }
            for (MBeanAttributeInfo attribute : info.getAttributes()) {
                if (attribute.isWritable() && policy.isAttributeWriteAllowed(name, attribute.getName())) {
                    wrong.add(name + " write " + attribute.getName());
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertFalse(policy.isOriginAllowed("http://evil.example", true), "the policy alone refuses a foreign origin");
        assertTrue(policy.isOriginAllowed("", true), "a request without Origin or Referer (curl) passes");
    }

    // ---- secrets ----

    @Test
    void no_mbean_name_or_attribute_holds_a_configured_password() throws Exception {
        int read = 0;
        for (ObjectName name : mbeans().queryNames(null, null)) {
            assertNoSecret("MBean name", name.toString());
            MBeanInfo info;
            try {
                info = mbeans().getMBeanInfo(name);
            } catch (InstanceNotFoundException gone) {
                continue;
            }
            for (MBeanAttributeInfo attribute : info.getAttributes()) {
                if (!attribute.isReadable()) {
                    continue;
                }
                Object value;
                try {
                    value = mbeans().getAttribute(name, attribute.getName());
                } catch (Exception | LinkageError unreadable) {
                    continue;
                }
                read++;
                String text = value instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(value);
                assertNoSecret(name + " " + attribute.getName(), text);
            }
        }
        assertTrue(read > 1000, "read " + read + " attributes");
    }

    @Test
    void stats_and_the_openapi_document_hold_no_password() {
        for (String path : List.of("/stats", "/openapi.json")) {
            ApiResponse response = api.withKey(ADMIN_KEY).get(path);
            assertEquals(200, response.status(), response::toString);
            assertNoSecret(path, response.body());
        }
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : List.of(DB_PASSWORD, REDIS_PASSWORD, ADMIN_KEY)) {
            assertFalse(text.contains(secret), () -> where + " holds a configured password: " + text);
        }
    }

    private static MBeanServer mbeans() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private static boolean tableExists(String schema, String table) throws Exception {
        try (Connection connection = DriverManager.getConnection(MessageTable.DB_URL, "postgres", "");
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }
}
