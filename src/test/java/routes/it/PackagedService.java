package routes.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The packaged service, target/message-logger.jar with the target/lib jars its manifest names. The tests run a
 * copy taken once per test JVM (target/it-app/), so a rebuild of target/ while they run cannot change the
 * code under test half-way or break a starting process.
 */
final class PackagedService {

    static final Path BUILT_JAR = Path.of("target", "message-logger.jar");
    private static final Path COPY_DIR = Path.of("target", "it-app");

    private static Path copiedJar;

    private PackagedService() {
    }

    /** The jar to pass to {@code java -jar}. */
    static synchronized Path jar() {
        if (copiedJar == null) {
            copiedJar = copy();
        }
        return copiedJar;
    }

    private static Path copy() {
        if (!Files.isRegularFile(BUILT_JAR)) {
            throw new IllegalStateException(BUILT_JAR.toAbsolutePath() + " is missing: run `mvn -B -DskipTests package` "
                    + "first (mvn verify packages it before the integration tests)");
        }
        try {
            deleteTree(COPY_DIR);
            Files.createDirectories(COPY_DIR);
            Path jar = COPY_DIR.resolve(BUILT_JAR.getFileName());
            Files.copy(BUILT_JAR, jar, StandardCopyOption.COPY_ATTRIBUTES);
            String classPath;
            try (JarFile file = new JarFile(jar.toFile())) {
                classPath = file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            }
            if (classPath != null) {
                for (String entry : classPath.trim().split("\\s+")) {
                    Path source = BUILT_JAR.resolveSibling(entry);
                    Path target = COPY_DIR.resolve(entry);
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the packaged service into " + COPY_DIR, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
