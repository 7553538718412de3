package routes.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import routes.support.ApiResponse;
import routes.support.Json;
import routes.support.Messages;
import routes.support.RouteTestSupport;

import static org.junit.jupiter.api.Assertions.*;
import static routes.support.Await.await;
import static routes.support.Await.holdsFor;

/**
 * The routes run from a file outside the jar with reload on: saving an edit changes behaviour without a
 * restart, and an edit that does not load is refused while the running routes go on.
 */
@CamelMainTest(properties = {
        "routes.location=file:{{sys:RouteReloadRouteTest.routes.dir}}/routes.yaml",
        "routes.reload=true",
        "routes.reload-directory={{sys:RouteReloadRouteTest.routes.dir}}",
        "batch.interval=200"
})
class RouteReloadRouteTest extends RouteTestSupport {

    private final Path routesDir = copyOfTheRoutes();

    private static Path copyOfTheRoutes() {
        try {
            Path dir = Files.createTempDirectory("routes-reload");
            Files.copy(Path.of("src/main/resources/routes.yaml"), dir.resolve("routes.yaml"));
            System.setProperty("RouteReloadRouteTest.routes.dir", dir.toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void removeTheCopy() throws IOException {
        Files.deleteIfExists(routesDir.resolve("routes.yaml"));
        Files.deleteIfExists(routesDir);
    }

    @Test
    void an_edit_takes_effect_without_restart_and_a_broken_one_is_refused() throws Exception {
        Path routes = routesDir.resolve("routes.yaml");
        String sender = Messages.uniqueSubject("reload");
        assertTrue(post(sender).header("Cache-Control").isEmpty());

        String original = Files.readString(routes);
        String step = """
                        - bean:
                            ref: ingestRequests
                            method: respond
                """;
        assertTrue(original.contains(step), "routes.yaml still ends ingest-http the way this test expects");
        Files.writeString(routes, original.replace(step, step + """
                        - setHeader:
                            name: Cache-Control
                            constant: no-store
                """));
        await(Duration.ofSeconds(20), () -> "no-store".equals(post(sender).header("Cache-Control").orElse(null)),
                "the edited step answers without a restart");

        Files.writeString(routes, Files.readString(routes) + "\n- route:\n    id: broken\n    from:\n      uri: direct:broken\n"
                + "      steps:\n        - noSuchStep: {}\n");
        holdsFor(Duration.ofSeconds(4), () -> {
            ApiResponse response = post(sender);
            return response.status() == 202 && "no-store".equals(response.header("Cache-Control").orElse(null));
        }, "the running routes stay after a broken edit");
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) >= 3, "messages keep being stored");
    }

    private ApiResponse post(String sender) {
        return api.postMessages(Json.write(Messages.minimal(sender, "r")));
    }
}
