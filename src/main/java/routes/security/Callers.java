package routes.security;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;

import routes.model.ClientErrorException;
import routes.model.Principal;
import routes.model.Scope;

/**
 * The caller of an API request, as {@link ApiGate} let it in: carried as the Vert.x user of the request (Camel
 * copies it into the header {@link #HEADER}), which no client header can forge.
 */
public final class Callers {

    /** VertxPlatformHttpConstants.AUTHENTICATED_USER. */
    public static final String HEADER = "CamelVertxPlatformHttpAuthenticatedUser";

    private Callers() {
    }

    static User asUser(Principal principal) {
        JsonObject json = new JsonObject()
                .put("key_id", principal.keyId())
                .put("name", principal.name())
                .put("scopes", new JsonArray(principal.scopes().stream().map(Scope::wireName).toList()))
                .put("subjects", principal.subjects() == null ? null : new JsonArray(List.copyOf(principal.subjects())));
        return User.create(json);
    }

    /** The caller; a request that did not pass the gate (no user) is refused, never served as someone. */
    public static Principal of(Object user) {
        if (!(user instanceof User vertxUser)) {
            throw new ClientErrorException(401, "unauthorized", List.of("no caller: the request did not pass authentication"));
        }
        JsonObject json = vertxUser.principal();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object name : json.getJsonArray("scopes", new JsonArray())) {
            Scope scope = Scope.of(String.valueOf(name));
            if (scope != null) {
                scopes.add(scope);
            }
        }
        JsonArray subjectArray = json.getJsonArray("subjects");
        Set<String> subjects = null;
        if (subjectArray != null) {
            subjects = new LinkedHashSet<>();
            for (Object subject : subjectArray) {
                subjects.add(String.valueOf(subject));
            }
        }
        return new Principal(json.getString("key_id"), json.getString("name"), scopes, subjects);
    }
}
