package routes.config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

/**
 * A Redis server of our own on 127.0.0.1: the Linux x86-64 Redis 6.2 binary that com.github.codemonstur's jar ships
 * (LMOVE, Lua, GETDEL, pub/sub: all the service uses), its files in one folder. Started as a plain child process
 * rather than through the library's RedisServer, whose JVM shutdown hook would stop Redis while Camel still writes the
 * last batch.
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    /** Long enough to load a large append-only file. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private EmbeddedRedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts on {@code port} with its files (the binary, the append-only file when {@code appendOnly}, redis.pid) in
     * {@code directory}; its log goes to {@code logFile}. Returns once it answers PING.
     */
    public static EmbeddedRedisServer start(Path directory, Path logFile, int port, boolean appendOnly) throws IOException {
        Files.createDirectories(directory);
        Path pidFile = directory.resolve("redis.pid");
        LeftoverServer.stop(pidFile, "redis-server");
        // unpacked into its own folder (again at each start) rather than a new temporary folder each time, which a
        // SIGKILLed JVM would leave behind
        File executable = ExecutableProvider.newJarResourceProvider(directory.toFile()).get();
        List<String> command = List.of(executable.getAbsolutePath(),
                "--bind", "127.0.0.1",
                "--port", Integer.toString(port),
                "--dir", directory.toAbsolutePath().toString(),
                "--pidfile", pidFile.toAbsolutePath().toString(),
                "--logfile", logFile.toAbsolutePath().toString(),
                // the list is the only copy of a message until its batch commits: every write goes to the file
                "--appendonly", appendOnly ? "yes" : "no",
                "--appendfsync", "everysec",
                // the append-only file is the persistence; no snapshots beside it
                "--save", "");
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectErrorStream(true)
                .start();
        EmbeddedRedisServer redis = new EmbeddedRedisServer(process, port);
        redis.awaitPong(logFile);
        return redis;
    }

    public int port() {
        return port;
    }

    /** SIGTERM: Redis writes the append-only file to disk, removes its pid file and exits. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** While it loads the append-only file Redis answers -LOADING; it is ready at +PONG. */
    private void awaitPong(Path logFile) throws IOException {
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with " + process.exitValue() + " (its log: " + logFile + ")");
            }
            if (answersPong()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IOException("redis-server did not answer PING on port " + port + " within " + STARTUP_WAIT.toSeconds()
                + " s (its log: " + logFile + ")");
    }

    private boolean answersPong() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[5];
            return in.readNBytes(answer, 0, 5) == 5 && new String(answer, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }
}
