package routes.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

import static routes.support.Await.awaitValue;

/**
 * One Message Logger running as an OS process ({@code java -jar}), its stdout and stderr in files under target/.
 * On Linux {@link Process#destroyForcibly()} sends SIGKILL and {@link Process#destroy()} SIGTERM (the JDK's
 * ProcessHandleImpl.destroy0 calls kill(2) with one or the other); {@link #kill()} checks it by the exit code.
 */
final class ServiceProcess {

    /** What a JVM killed by SIGKILL exits with: 128 + 9. */
    static final int SIGKILL_EXIT = 137;
    /** What a JVM ends with after running its shutdown hooks on SIGTERM: 128 + 15. */
    static final int SIGTERM_EXIT = 143;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private final String name;
    private final String instanceId;
    private final int httpPort;
    private final int feedPort;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private volatile boolean stopRequested;
    private JMXConnector jmx;

    private ServiceProcess(String name, String instanceId, int httpPort, int feedPort, Process process, Path stdout,
                           Path stderr) {
        this.name = name;
        this.instanceId = instanceId;
        this.httpPort = httpPort;
        this.feedPort = feedPort;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ServiceProcess start(String name, Map<String, String> environment, Path logDir) {
        Path stdout = logDir.resolve(name + ".out.log");
        Path stderr = logDir.resolve(name + ".err.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", PackagedService.jar().toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logDir);
            Process process = builder.start();
            return new ServiceProcess(name, environment.get("DRAIN_INSTANCE_ID"),
                    Integer.parseInt(environment.get("HTTP_PORT")), Integer.parseInt(environment.get("FEED_PORT")),
                    process, stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    String name() {
        return name;
    }

    String instanceId() {
        return instanceId;
    }

    int httpPort() {
        return httpPort;
    }

    int feedPort() {
        return feedPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** True once the test has killed or stopped it on purpose. */
    boolean stopRequested() {
        return stopRequested;
    }

    /** Ready when the ingest route itself answers: an empty message object is refused with 400. */
    ServiceProcess awaitReady(Duration timeout) {
        awaitValue(timeout, () -> {
            assertRunning();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/messages"))
                    .timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }, status -> status == 400, name + " answers POST /messages");
        return this;
    }

    /**
     * A route's statistic (ExchangesCompleted, ExchangesInflight, ...), read over JMX (camel.main.jmxEnabled)
     * through the JDK's attach API, so the service needs no remote-JMX flags. For drain-queue, an exchange is one
     * claim, complete once its entries joined the batch.
     */
    synchronized long routeStatistic(String routeId, String attribute) throws Exception {
        assertRunning();
        if (jmx == null) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
            try {
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
        }
        MBeanServerConnection server = jmx.getMBeanServerConnection();
        Set<ObjectName> routes = server.queryNames(
                new ObjectName("org.apache.camel:type=routes,name=" + ObjectName.quote(routeId) + ",*"), null);
        if (routes.size() != 1) {
            throw new IllegalStateException("Expected one MBean for route " + routeId + ", found " + routes);
        }
        return ((Number) server.getAttribute(routes.iterator().next(), attribute)).longValue();
    }

    private synchronized void closeJmx() {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException | RuntimeException ignored) {
                // the process is going away; so is its connector
            }
            jmx = null;
        }
    }

    /** Fails at once when the process has died without being asked to. */
    void assertRunning() {
        if (!stopRequested && !process.isAlive()) {
            throw new AssertionError(name + " (pid " + process.pid() + ") exited on its own with " + process.exitValue()
                    + "\n" + output());
        }
    }

    /** SIGKILL: no shutdown hook, nothing flushed; asserts the process really died of SIGKILL. */
    void kill() {
        stopRequested = true;
        closeJmx();
        process.destroyForcibly();
        int exit = awaitExit(Duration.ofSeconds(10));
        if (exit != SIGKILL_EXIT) {
            throw new AssertionError(name + " should have died of SIGKILL (exit " + SIGKILL_EXIT + ") but exited with " + exit);
        }
    }

    /** SIGTERM, then waits for the process to exit; returns its exit code. */
    int terminate(Duration timeout) {
        stopRequested = true;
        closeJmx();
        process.destroy();
        return awaitExit(timeout);
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + name + " to exit", e);
        }
        return process.exitValue();
    }

    /** Cleanup: whatever state it is in, it is gone afterwards. */
    void destroy() {
        stopRequested = true;
        closeJmx();
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    List<String> stdoutLines() {
        return lines(stdout);
    }

    List<String> stderrLines() {
        return lines(stderr);
    }

    /** Both output files, for a failure report. */
    String output() {
        StringBuilder text = new StringBuilder();
        text.append("----- ").append(name).append(" (pid ").append(process.pid()).append(") stdout: ").append(stdout).append('\n');
        stdoutLines().forEach(line -> text.append(line).append('\n'));
        text.append("----- ").append(name).append(" stderr: ").append(stderr).append('\n');
        stderrLines().forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e + ")");
        }
    }
}
