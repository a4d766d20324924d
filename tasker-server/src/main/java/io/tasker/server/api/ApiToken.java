package io.tasker.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One API token as the server knows it: a name (recorded as the actor of what it does), a scope,
 * and the SHA-256 of the token, never the token itself. A token is 256 random bits, so a fast
 * hash is enough: there is nothing to guess, unlike a password.
 */
public record ApiToken(String name, Scope scope, byte[] sha256) {
    static final String HASH_PREFIX = "sha256:";
    /** Tells a Tasker token apart in a config file or a leak scanner's findings. */
    private static final String TOKEN_PREFIX = "tasker_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiToken {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a token name is 1 to 64 letters, digits and . _ @ - (starting with a "
                    + "letter or digit), got '" + name + "'");
        }
        sha256 = sha256.clone();
    }

    /** A token just made: the secret to hand to its user, and the line that lets the server know it. */
    public record Created(String token, ApiToken apiToken) {
        /** The tokens file's line for it: {@code NAME SCOPE sha256:HEX}. */
        public String line() {
            return apiToken.name() + " " + apiToken.scope().label() + " " + HASH_PREFIX
                    + HexFormat.of().formatHex(apiToken.sha256());
        }
    }

    /** A new random token named {@code name} with {@code scope}. */
    public static Created create(String name, Scope scope) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Created(token, new ApiToken(name, scope, sha256(token)));
    }

    /** Whether {@code presentedSha256} is this token's hash, compared in constant time. */
    boolean matches(byte[] presentedSha256) {
        return MessageDigest.isEqual(sha256, presentedSha256);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiToken token && name.equals(token.name) && scope == token.scope
                && Arrays.equals(sha256, token.sha256);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "ApiToken[" + name + ", " + scope.label() + "]";
    }
}
