package routes.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import static routes.support.Await.awaitValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With EMBEDDED=always the packaged service brings its own PostgreSQL and Redis (on free ports, beside whatever runs on
 * this machine), keeps their data in EMBEDDED_DATA_DIR across restarts, and leaves no server running once it has
 * stopped; servers that a SIGKILLed service left behind do not stop the next start.
 */
class EmbeddedServersIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final Duration STORED = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dataDirectory;
    private Path logDir;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws IOException {
        processes.forEach(ServiceProcess::destroy);
        // a failed test may have left servers on the folder: they must not outlive the test run
        for (ProcessHandle server : EmbeddedServerProcesses.of(dataDirectory).running()) {
            server.destroy();
            server.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    @Test
    void a_message_stored_before_a_restart_is_there_after_it_and_no_server_outlives_the_service(TestInfo test)
            throws Exception {
        logDir = Path.of("target", "it-logs", "EmbeddedServersIT", test.getTestMethod().orElseThrow().getName());
        ServiceProcess first = start("embedded-1");
        assertStartLine(first);
        String uuid = UUID.randomUUID().toString();
        post(first, uuid);
        awaitStored(first, uuid);
        EmbeddedServerProcesses servers = EmbeddedServerProcesses.of(dataDirectory);
        assertEquals(2, servers.running().size(), "PostgreSQL and Redis running on " + dataDirectory);

        assertStoppedByTerm(first, servers);

        ServiceProcess second = start("embedded-2");
        assertEquals(200, get(second, uuid).statusCode(), "the message stored before the restart");
        assertTrue(get(second, uuid).body().contains(uuid));
        assertStoppedByTerm(second, EmbeddedServerProcesses.of(dataDirectory));
    }

    @Test
    void servers_a_killed_service_left_running_do_not_stop_the_next_start(TestInfo test) throws Exception {
        logDir = Path.of("target", "it-logs", "EmbeddedServersIT", test.getTestMethod().orElseThrow().getName());
        ServiceProcess first = start("embedded-killed");
        String uuid = UUID.randomUUID().toString();
        post(first, uuid);
        EmbeddedServerProcesses leftover = EmbeddedServerProcesses.of(dataDirectory);
        first.kill();
        assertEquals(2, leftover.running().size(), "a SIGKILLed JVM takes neither server with it");

        ServiceProcess second = start("embedded-after-kill");
        awaitStored(second, uuid);
        assertEquals(List.of(), leftover.running(), "the killed service's servers, stopped by the next start");
        assertStoppedByTerm(second, EmbeddedServerProcesses.of(dataDirectory));
    }

    private ServiceProcess start(String name) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HTTP_PORT", Integer.toString(freePort()));
        environment.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        environment.put("FEED_PORT", Integer.toString(freePort()));
        // db.url and redis.url stay at their defaults: those are what embedded servers stand in for
        environment.put("EMBEDDED", "always");
        environment.put("EMBEDDED_DATA_DIR", dataDirectory.toString());
        // one instance, restarted: at start it takes back what it had claimed before a SIGKILL
        environment.put("DRAIN_INSTANCE_ID", "embedded-it");
        ServiceProcess process = ServiceProcess.start(name, environment, logDir);
        processes.add(process);
        return process.awaitReady(START);
    }

    private static void assertStartLine(ServiceProcess service) {
        List<String> lines = service.stdoutLines().stream().filter(line -> line.contains("Embedded PostgreSQL")).toList();
        assertEquals(1, lines.size(), "one line says what is embedded:\n" + service.output());
        assertTrue(lines.get(0).contains("and Redis on 127.0.0.1:") && lines.get(0).contains("embedded=always")
                && lines.get(0).contains("DB_URL and REDIS_URL"), lines.get(0));
    }

    private static void assertStoppedByTerm(ServiceProcess service, EmbeddedServerProcesses servers) throws IOException {
        int exit = service.terminate(STOP);
        assertTrue(exit == 0 || exit == ServiceProcess.SIGTERM_EXIT, "exit code after SIGTERM: " + exit + "\n" + service.output());
        assertEquals(List.of(), servers.running(), "embedded servers still running after the service stopped");
        assertFalse(Files.exists(servers.postgresPidFile()), "PostgreSQL shut down cleanly (no postmaster.pid)");
        assertFalse(Files.exists(servers.redisPidFile()), "Redis shut down cleanly (no redis.pid)");
    }

    private static void post(ServiceProcess service, String uuid) throws Exception {
        String message = "{\"message_uuid\":\"" + uuid + "\",\"origin_ts\":\"2025-05-27T10:30:00Z\","
                + "\"message_data\":{\"text\":\"kept across restarts\"},\"source_subject_id\":\"embedded-it\","
                + "\"destination_subject_ids\":[\"embedded-it-peer\"]}";
        HttpRequest request = HttpRequest.newBuilder(uri(service, "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(message))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
    }

    private static void awaitStored(ServiceProcess service, String uuid) {
        awaitValue(STORED, () -> {
            service.assertRunning();
            return get(service, uuid).statusCode();
        }, status -> status == 200, "message " + uuid + " to be stored");
    }

    private static HttpResponse<String> get(ServiceProcess service, String uuid) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(service, "/messages/" + uuid)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ServiceProcess service, String path) {
        return URI.create("http://127.0.0.1:" + service.httpPort() + path);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("0.0.0.0", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
