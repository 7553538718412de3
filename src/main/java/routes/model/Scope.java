package routes.model;

import java.util.Locale;

/** What a key may do. */
public enum Scope {
    /** POST /messages. */
    INGEST,
    /** GET /messages/..., /stats. */
    READ,
    /** The live feed. */
    SUBSCRIBE,
    /** Keys, dead letters, audit, operations. */
    ADMIN;

    /** As written in requests and in the api_key table: lower case. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope of a wire name, or null when there is none. */
    public static Scope of(String wireName) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(wireName)) {
                return scope;
            }
        }
        return null;
    }
}
