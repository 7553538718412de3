package routes.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded PostgreSQL and Redis of one data folder, as their pid files named them when this was made: PostgreSQL
 * runs apart from the service's JVM (pg_ctl starts it in the background), so its pid file is how to find it.
 */
final class EmbeddedServerProcesses {

    private final Path dataDirectory;
    /** pid -> the executable it must still be running to count as that server (pids are reused). */
    private final Map<Long, String> servers;

    private EmbeddedServerProcesses(Path dataDirectory, Map<Long, String> servers) {
        this.dataDirectory = dataDirectory;
        this.servers = servers;
    }

    static EmbeddedServerProcesses of(Path dataDirectory) throws IOException {
        Map<Long, String> servers = new HashMap<>();
        Long postgres = pid(postgresPidFile(dataDirectory));
        if (postgres != null) {
            servers.put(postgres, "postgres");
        }
        Long redis = pid(redisPidFile(dataDirectory));
        if (redis != null) {
            servers.put(redis, "redis-server");
        }
        return new EmbeddedServerProcesses(dataDirectory, Map.copyOf(servers));
    }

    /** PostgreSQL removes it on a clean shutdown. */
    Path postgresPidFile() {
        return postgresPidFile(dataDirectory);
    }

    /** Redis removes it on a clean shutdown. */
    Path redisPidFile() {
        return redisPidFile(dataDirectory);
    }

    private static Path postgresPidFile(Path dataDirectory) {
        return dataDirectory.resolve("postgres").resolve("postmaster.pid");
    }

    private static Path redisPidFile(Path dataDirectory) {
        return dataDirectory.resolve("redis").resolve("redis.pid");
    }

    /** Those of the servers that still run. */
    List<ProcessHandle> running() {
        List<ProcessHandle> running = new ArrayList<>();
        servers.forEach((pid, executable) -> ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.contains(executable)).orElse(false))
                .ifPresent(running::add));
        return running;
    }

    private static Long pid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return null;
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? null : Long.valueOf(lines.get(0).trim());
    }
}
