package routes.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A statement of src/main/resources/queries/, read once when the bean that runs it is made. */
public final class SqlFile {

    private SqlFile() {
    }

    /** The text of queries/{name}, without its trailing newline. */
    public static String read(String name) {
        String path = "queries/" + name;
        try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
