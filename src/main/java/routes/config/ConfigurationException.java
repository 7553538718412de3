package routes.config;

/** A setting that stops start-up; its message is the one line the operator reads. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String key, String problem) {
        super(key + " (" + ConfigKeys.envName(key) + "): " + problem);
    }
}
