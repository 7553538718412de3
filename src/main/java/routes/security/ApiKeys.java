package routes.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import routes.model.Principal;
import routes.model.Scope;
import routes.model.SqlFile;

/**
 * The API keys, held in memory and read again from the api_key table every security.key-refresh-interval, so a
 * key created or revoked on any instance works or stops working on every instance within that time. A key is
 * {@code mlk_<id>_<secret>}: the id finds it, the secret (256 random bits) is compared as a SHA-256 hash in
 * constant time. Secrets are shown once, when created, and kept nowhere. A bootstrap admin key
 * (security.admin-key, read at start) lets an operator create the first keys without the API; it lives in memory
 * only, as its hash.
 */
public final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    static final String PREFIX = "mlk_";
    private static final int ID_HEX = 16;
    private static final int SECRET_BYTES = 32;
    private static final int SECRET_CHARS = 43; // base64url of 32 bytes, unpadded
    public static final String BOOTSTRAP_ID = "bootstrap";

    private record Stored(byte[] secretHash, Principal principal) {
    }

    /** A key just made: the only time its secret exists outside the caller. */
    public record Created(String token, Principal principal, Instant createdAt) {
    }

    private final DataSource dataSource;
    private final SecureRandom random = new SecureRandom();
    private final Stored bootstrap;
    private final String selectKeys = SqlFile.read("select-api-keys.sql");
    private final String insertKey = SqlFile.read("insert-api-key.sql");
    private final String listKeys = SqlFile.read("list-api-keys.sql");
    private final String revokeKey = SqlFile.read("revoke-api-key.sql");
    private volatile Map<String, Stored> byId = Map.of();
    /** Counts the keys made or revoked here: a refresh that read the table before one of them is dropped. */
    private long changes;
    private volatile boolean refreshFailedLastTime;

    public ApiKeys(DataSource dataSource, String adminKey) {
        this.dataSource = dataSource;
        this.bootstrap = adminKey == null || adminKey.isEmpty() ? null
                : new Stored(sha256(adminKey), new Principal(BOOTSTRAP_ID, "bootstrap admin key (security.admin-key)",
                EnumSet.allOf(Scope.class), null));
    }

    /** True once any key can be used: then no one is anonymous (see security.anonymous). */
    public boolean anyKeys() {
        return bootstrap != null || !byId.isEmpty();
    }

    /** The key's principal, or null when the token is no key that works (unknown, revoked, wrong secret). */
    public Principal authenticate(String token) {
        if (bootstrap != null && MessageDigest.isEqual(sha256(token), bootstrap.secretHash())) {
            return bootstrap.principal();
        }
        if (token.length() != PREFIX.length() + ID_HEX + 1 + SECRET_CHARS || !token.startsWith(PREFIX)
                || token.charAt(PREFIX.length() + ID_HEX) != '_') {
            return null;
        }
        Stored stored = byId.get(token.substring(PREFIX.length(), PREFIX.length() + ID_HEX));
        if (stored == null) {
            return null;
        }
        byte[] presented = sha256(token.substring(PREFIX.length() + ID_HEX + 1));
        return MessageDigest.isEqual(presented, stored.secretHash()) ? stored.principal() : null;
    }

    /** The principal of a key id that works now (the one authenticated for this request), or null. */
    public Principal byId(String id) {
        if (Principal.ANONYMOUS_ID.equals(id)) {
            return Principal.ANONYMOUS;
        }
        if (bootstrap != null && BOOTSTRAP_ID.equals(id)) {
            return bootstrap.principal();
        }
        Stored stored = byId.get(id);
        return stored == null ? null : stored.principal();
    }

    /** Reads the working keys again; a database that does not answer keeps the last ones (and says so once). */
    public void refresh() {
        long changesBefore;
        synchronized (this) {
            changesBefore = changes;
        }
        Map<String, Stored> keys = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(selectKeys);
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String id = r.getString("id");
                keys.put(id, new Stored(r.getBytes("secret_hash"), new Principal(id, r.getString("name"),
                        scopes(r.getArray("scopes")), subjects(r.getArray("subjects")))));
            }
        } catch (SQLException e) {
            if (!refreshFailedLastTime) {
                LOG.warn("Cannot read the API keys ({}); the ones read before stay in use", e.getMessage());
                refreshFailedLastTime = true;
            }
            return;
        }
        refreshFailedLastTime = false;
        synchronized (this) {
            if (changes == changesBefore) {
                byId = Map.copyOf(keys);
            }
        }
    }

    /** Makes a key; its token is returned this once. */
    public Created create(String name, Set<Scope> scopes, Set<String> subjects, Principal by) throws SQLException {
        String id = HexFormat.of().formatHex(randomBytes(ID_HEX / 2));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(SECRET_BYTES));
        Principal principal = new Principal(id, name, Set.copyOf(scopes), subjects == null ? null : Set.copyOf(subjects));
        Instant createdAt;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(insertKey)) {
            s.setString(1, id);
            s.setString(2, name);
            s.setBytes(3, sha256(secret));
            s.setArray(4, c.createArrayOf("text", scopes.stream().map(Scope::wireName).toArray()));
            s.setArray(5, subjects == null ? null : c.createArrayOf("text", subjects.toArray()));
            s.setString(6, by.keyId());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                createdAt = r.getTimestamp(1).toInstant();
            }
        }
        synchronized (this) {
            Map<String, Stored> keys = new HashMap<>(byId);
            keys.put(id, new Stored(sha256(secret), principal));
            byId = Map.copyOf(keys);
            changes++;
        }
        return new Created(PREFIX + id + "_" + secret, principal, createdAt);
    }

    /** Every key, without secrets, as rows for GET /keys. */
    public List<Map<String, Object>> list() throws SQLException {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(listKeys);
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("id", r.getString("id"));
                row.put("name", r.getString("name"));
                row.put("scopes", wireNames(scopes(r.getArray("scopes"))));
                Set<String> subjects = subjects(r.getArray("subjects"));
                row.put("subjects", subjects == null ? null : List.copyOf(subjects));
                row.put("created_at", r.getTimestamp("created_at").toInstant().toString());
                row.put("created_by", r.getString("created_by"));
                row.put("revoked_at", r.getTimestamp("revoked_at") == null ? null : r.getTimestamp("revoked_at").toInstant().toString());
                rows.add(row);
            }
        }
        return rows;
    }

    /** Revokes a key here at once (and everywhere at the next refresh); false when there is no such key. */
    public boolean revoke(String id) throws SQLException {
        boolean found;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(revokeKey)) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                found = r.next();
            }
        }
        synchronized (this) {
            Map<String, Stored> keys = new HashMap<>(byId);
            keys.remove(id);
            byId = Map.copyOf(keys);
            changes++;
        }
        return found;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object name : (Object[]) array.getArray()) {
            Scope scope = Scope.of(String.valueOf(name));
            if (scope != null) {
                scopes.add(scope);
            }
        }
        return scopes;
    }

    private static Set<String> subjects(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Set<String> subjects = new LinkedHashSet<>();
        for (Object subject : (Object[]) array.getArray()) {
            subjects.add(String.valueOf(subject));
        }
        return subjects;
    }

    private static List<String> wireNames(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wireName).toList();
    }
}
