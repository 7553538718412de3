package routes.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

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
 * The routes run from files outside the jar (routes.yaml and routes/*.yaml, as README "Editing the routes" says)
 * with reload on: saving an edit of any of them changes behaviour without a restart, the routes of the other files
 * keep running; an edit that does not load is refused while the running routes go on, and routes that load but
 * fail to start give way to the last good version of every file.
 */
@CamelMainTest(properties = {
        "routes.location=file:{{sys:RouteReloadRouteTest.routes.dir}}/routes.yaml,"
                + "file:{{sys:RouteReloadRouteTest.routes.dir}}/routes/*.yaml",
        "routes.reload=true",
        "routes.reload-directory={{sys:RouteReloadRouteTest.routes.dir}}",
        "batch.interval=200"
})
class RouteReloadRouteTest extends RouteTestSupport {

    private static final String RESPOND = """
                    - bean:
                        ref: ingestRequests
                        method: respond
            """;
    private static final String NO_STORE = """
                    - setHeader:
                        name: Cache-Control
                        constant: no-store
            """;

    private final Path routesDir = copyOfTheRoutes();

    /** What README says to do: routes.yaml and the routes/ folder beside it. */
    private static Path copyOfTheRoutes() {
        try {
            Path dir = Files.createTempDirectory("routes-reload");
            Files.copy(Path.of("src/main/resources/routes.yaml"), dir.resolve("routes.yaml"));
            Files.createDirectory(dir.resolve("routes"));
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve("routes").resolve(file.getFileName()));
                }
            }
            System.setProperty("RouteReloadRouteTest.routes.dir", dir.toString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    void removeTheCopy() throws IOException {
        try (Stream<Path> paths = Files.walk(routesDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void an_edit_takes_effect_without_restart_and_a_broken_one_is_refused() throws Exception {
        Path routes = routesDir.resolve("routes.yaml");
        String sender = Messages.uniqueSubject("reload");
        await(Duration.ofSeconds(10), () -> post(sender).status() == 202, "a message is accepted");
        assertTrue(post(sender).header("Cache-Control").isEmpty());

        edit(routes, RESPOND, RESPOND + NO_STORE);
        await(Duration.ofSeconds(20), () -> "no-store".equals(post(sender).header("Cache-Control").orElse(null)),
                "the edited step answers without a restart");
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) >= 3, "messages keep being stored");
        await(Duration.ofSeconds(10), () -> subjectPage(sender).status() == 200, "the routes of the other files run again");

        String good = Files.readString(routes);
        Files.writeString(routes, good + "\n- route:\n    id: broken\n    from:\n      uri: direct:broken\n"
                + "      steps:\n        - noSuchStep: {}\n");
        holdsFor(Duration.ofSeconds(4), () -> {
            ApiResponse response = post(sender);
            return response.status() == 202 && "no-store".equals(response.header("Cache-Control").orElse(null));
        }, "the running routes stay after a broken edit");
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) >= 4, "messages keep being stored");
        // a reload is refused while any file is broken: the other tests edit other files
        Files.writeString(routes, good);
    }

    @Test
    void an_edit_of_a_file_in_routes_takes_effect_and_the_pipeline_keeps_running() throws Exception {
        Path queries = routesDir.resolve("routes/queries.yaml");
        String sender = Messages.uniqueSubject("reload-queries");
        // another test's last edit may still be reloading
        await(Duration.ofSeconds(10), () -> post(sender).status() == 202, "a message is accepted");
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) >= 1, "a message is stored");
        assertTrue(subjectPage(sender).header("Cache-Control").isEmpty());

        String contentType = """
                        - setHeader:
                            name: Content-Type
                            constant: application/json
                """;
        edit(queries, contentType, contentType + NO_STORE);
        await(Duration.ofSeconds(20), () -> "no-store".equals(subjectPage(sender).header("Cache-Control").orElse(null)),
                "the edited query answers without a restart");
        assertEquals(202, post(sender).status(), "the pipeline of routes.yaml runs after the reload");
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) >= 2, "messages keep being stored");
    }

    @Test
    void routes_that_load_but_fail_to_start_give_way_to_the_last_good_version_of_every_file() throws Exception {
        Path admin = routesDir.resolve("routes/admin.yaml");
        String good = Files.readString(admin);
        ValidatingRouteReload reload = getCamelContext().hasService(ValidatingRouteReload.class);
        int reloads = reload.getReloadCounter();

        // parses, but takes ingest-http's id, so the routes fail to start together; one move, so one reload
        Path edited = routesDir.resolve("routes/admin.yaml.edited");
        Files.writeString(edited, good + "\n- route:\n    id: ingest-http\n    from:\n      uri: direct:twin\n"
                + "      steps:\n        - log: twin\n");
        Files.move(edited, admin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await(Duration.ofSeconds(20), () -> reload.getReloadCounter() > reloads, "the edit was reloaded");

        String sender = Messages.uniqueSubject("reload-restored");
        await(Duration.ofSeconds(10), () -> post(sender).status() == 202 && subjectPage(sender).status() == 200,
                "the last good routes run");
        String ingestFrom = getCamelContext().getRoute("ingest-http").getEndpoint().getEndpointUri();
        assertTrue(ingestFrom.startsWith("rest://post:/messages"), ingestFrom);
        await(Duration.ofSeconds(10), () -> table.count("source_subject_id = ?", sender) >= 1, "messages keep being stored");
        // a reload fails while this file is: the other tests edit other files
        Files.writeString(admin, good);
    }

    private static void edit(Path file, String step, String replacement) throws IOException {
        String original = Files.readString(file);
        assertTrue(original.contains(step), file.getFileName() + " still has the step this test expects");
        Files.writeString(file, original.replace(step, replacement));
    }

    private ApiResponse post(String sender) {
        return api.postMessages(Json.write(Messages.minimal(sender, "r")));
    }

    private ApiResponse subjectPage(String sender) {
        return api.get("/messages/subject/" + sender);
    }
}
