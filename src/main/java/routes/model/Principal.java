package routes.model;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling: an API key with its scopes and, when it is bound to subjects, the only subjects whose messages
 * it may post and read ({@code subjects} null: any subject). Anonymous callers, where allowed, may do everything.
 */
public record Principal(String keyId, String name, Set<Scope> scopes, Set<String> subjects) {

    public static final String ANONYMOUS_ID = "anonymous";
    public static final Principal ANONYMOUS = new Principal(ANONYMOUS_ID, "anonymous", EnumSet.allOf(Scope.class), null);

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public boolean isBoundToSubjects() {
        return subjects != null;
    }

    /** May post a message sent by this subject. */
    public boolean mayActAs(String subject) {
        return subjects == null || subjects.contains(subject);
    }

    /** May read a message with this sender and these recipients: one of its subjects takes part in it. */
    public boolean mayRead(String sender, Collection<String> recipients) {
        if (subjects == null || subjects.contains(sender)) {
            return true;
        }
        for (String recipient : recipients) {
            if (subjects.contains(recipient)) {
                return true;
            }
        }
        return false;
    }
}
