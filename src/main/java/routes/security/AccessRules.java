package routes.security;

import routes.model.Scope;

/**
 * Which scope each part of the API needs. Paths not named here need a working key (or anonymous access) and no
 * particular scope: an unknown path answers 404 only to those who may ask.
 */
final class AccessRules {

    /** What a request needs: nothing at all (public), a caller, or a caller with a scope. */
    /**
     * What a request needs: nothing at all (public), a caller, or a caller with a scope. {@code wholeLog}: what it
     * answers is not limited to the caller's subjects (dead letters, keys), so a key bound to subjects may not.
     */
    record Need(boolean open, Scope scope, boolean wholeLog) {
        static final Need PUBLIC = new Need(true, null, false);
        static final Need CALLER = new Need(false, null, false);

        static Need scope(Scope scope) {
            return new Need(false, scope, false);
        }

        static Need wholeLog(Scope scope) {
            return new Need(false, scope, true);
        }
    }

    private AccessRules() {
    }

    static Need of(String method, String path) {
        if (path.equals("/openapi.json") || path.equals("/dashboard")) {
            return Need.PUBLIC; // a description and a page: no data, and the page asks for a key itself
        }
        if (path.equals("/messages") && method.equals("POST")) {
            return Need.scope(Scope.INGEST);
        }
        if (path.startsWith("/messages/") || path.equals("/stats")) {
            return Need.scope(Scope.READ);
        }
        if (path.equals("/feed/tickets")) {
            return Need.scope(Scope.SUBSCRIBE);
        }
        if (path.equals("/keys") || path.startsWith("/keys/")) {
            return Need.scope(Scope.ADMIN); // a bound admin makes keys within its own subjects (KeyApi)
        }
        if (path.equals("/dead-letters") || path.startsWith("/dead-letters/") || path.startsWith("/admin/")) {
            return Need.wholeLog(Scope.ADMIN);
        }
        return Need.CALLER;
    }
}
