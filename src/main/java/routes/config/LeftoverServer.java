package routes.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server that a killed service left running on its data: a SIGKILLed JVM takes no child with it, and PostgreSQL
 * was never its child (pg_ctl starts it in the background). Left alone it would hold the port and the data, and its
 * pid file would stop the next start. Only call it while holding the data folder's lock: then no live service owns
 * the process.
 */
final class LeftoverServer {

    private static final long PATIENCE_SECONDS = 30;

    private LeftoverServer() {
    }

    /**
     * Stops the process {@code pidFile} names if it is still running {@code executable} (SIGTERM, which both servers
     * take as a clean shutdown; SIGKILL after 30 s), then removes the pid file when the server did not.
     */
    static void stop(Path pidFile, String executable) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> leftover = pid(pidFile).flatMap(ProcessHandle::of)
                .filter(process -> process.info().command().map(command -> command.contains(executable)).orElse(false));
        if (leftover.isPresent()) {
            ProcessHandle process = leftover.get();
            process.destroy();
            if (!exited(process)) {
                process.destroyForcibly();
                exited(process);
            }
        }
        // a pid file whose process is gone (or is now another program) is stale
        Files.deleteIfExists(pidFile);
    }

    private static Optional<Long> pid(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean exited(ProcessHandle process) {
        try {
            process.onExit().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
