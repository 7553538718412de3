package routes.model;

import java.util.List;

/** A request or message we refuse, with the HTTP status it earns and one line per thing that is wrong. */
public class ClientErrorException extends RuntimeException {

    private final int status;
    private final String error;
    private final List<String> details;
    private final int retryAfterSeconds;

    public ClientErrorException(int status, String error, List<String> details) {
        this(status, error, details, 0);
    }

    public ClientErrorException(int status, String error, List<String> details, int retryAfterSeconds) {
        super(details.isEmpty() ? error : error + ": " + String.join("; ", details));
        this.status = status;
        this.error = error;
        this.details = details.stream().map(UnicodeText::printable).toList();
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ClientErrorException badRequest(String error, List<String> details) {
        return new ClientErrorException(400, error, details);
    }

    public static ClientErrorException notFound(String error) {
        return new ClientErrorException(404, error, List.of());
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public List<String> details() {
        return details;
    }

    /** When the client may try again (seconds), for answers such as 429; 0 when retrying will not help. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
