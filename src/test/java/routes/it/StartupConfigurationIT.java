package routes.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad setting stops the service at once with one line that names the key and its variable. */
class StartupConfigurationIT {

    @RegisterExtension
    final ServiceFixture fixture = new ServiceFixture();

    @Test
    void negative_batch_size_exits_non_zero_with_one_line_naming_the_key() {
        long startedAt = System.nanoTime();
        ServiceProcess service = fixture.start("config-a", Map.of("BATCH_SIZE", "-1"));
        int exit = service.awaitExit(Duration.ofSeconds(15));
        System.out.printf("BATCH_SIZE=-1: exit %d after %d ms%n", exit,
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());

        assertNotEquals(0, exit, "exit code");
        List<String> stderr = service.stderrLines().stream().filter(line -> !line.isBlank()).toList();
        assertEquals(1, stderr.size(), "stderr should be one line:\n" + String.join("\n", stderr));
        assertTrue(stderr.get(0).contains("batch.size (BATCH_SIZE)"), "stderr: " + stderr.get(0));
        List<String> traces = service.stdoutLines().stream()
                .filter(line -> line.startsWith("\tat ") || line.contains("Exception"))
                .toList();
        assertEquals(List.of(), traces, "stack trace lines on stdout");
    }
}
