package routes.model;

/** A statement of src/main/resources/queries/, read once when the bean that runs it is made. */
public final class SqlFile {

    private SqlFile() {
    }

    /** The text of queries/{name}, without its trailing newline. */
    public static String read(String name) {
        return ResourceText.read("queries/" + name);
    }
}
