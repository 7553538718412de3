package routes;

import org.apache.camel.main.Main;

import routes.config.ConfigurationException;
import routes.config.MessageLoggerConfiguration;

/** Starts the Message Logger: camel-main with the route files (routes.location) and the beans of {@link MessageLoggerConfiguration}. */
public final class MessageLoggerApplication {

    private MessageLoggerApplication() {
    }

    public static void main(String[] args) {
        // no classpath scanning: the configuration is added once, here
        Main main = new Main();
        main.configure().addConfiguration(MessageLoggerConfiguration.class);
        try {
            System.exit(main.run(args));
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigurationException bad) {
                    // one line that names the key, instead of a stack trace
                    System.err.println("message-logger: cannot start: " + bad.getMessage());
                    System.exit(2);
                }
            }
            throw new IllegalStateException("message-logger failed to start", e);
        }
    }
}
