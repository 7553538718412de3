package routes.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A text resource of the jar (SQL under queries/, Lua under redis/), read once when the bean that runs it is made. */
public final class ResourceText {

    private ResourceText() {
    }

    /** The text of the classpath resource at {@code path}, without its trailing newline. */
    public static String read(String path) {
        try (InputStream in = ResourceText.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
