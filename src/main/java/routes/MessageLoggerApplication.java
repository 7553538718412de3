package routes;

import org.apache.camel.main.Main;

import routes.config.MessageLoggerConfiguration;

/** Starts the Message Logger: camel-main with routes.yaml and the beans of {@link MessageLoggerConfiguration}. */
public final class MessageLoggerApplication {

    private MessageLoggerApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(MessageLoggerApplication.class);
        main.configure().addConfiguration(MessageLoggerConfiguration.class);
        System.exit(main.run(args));
    }
}
