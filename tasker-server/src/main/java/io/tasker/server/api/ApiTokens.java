package io.tasker.server.api;

import io.tasker.core.TaskerException;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API tokens a server accepts, as its configuration lists them: a file with one token a line,
 * {@code NAME SCOPE sha256:HEX}, {@code #} starting a comment. No tokens means an open API.
 */
public final class ApiTokens {
    public static final ApiTokens NONE = new ApiTokens(List.of());
    private static final String HOW_TO_ADD = "'tasker token create NAME --scope read|write|admin' prints a token "
            + "and its line";

    private final List<ApiToken> tokens;

    private ApiTokens(List<ApiToken> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    public static ApiTokens of(List<ApiToken> tokens) {
        return new ApiTokens(tokens);
    }

    /**
     * Reads a tokens file. A file that cannot be read, has a malformed line, names a token twice or
     * has no token at all is refused: a server that meant to be protected must not start open.
     */
    public static ApiTokens read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new TaskerException("the API tokens file " + file + " does not exist; " + HOW_TO_ADD
                    + " to put in it");
        } catch (MalformedInputException e) {
            throw new TaskerException("the API tokens file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new TaskerException("cannot read the API tokens file " + file + ": " + e.getMessage(), e);
        }
        List<ApiToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + ":" + (i + 1) + ": ";
            ApiToken token = parseLine(lines.get(i), where);
            if (token == null) {
                continue;
            }
            if (!names.add(token.name())) {
                throw new TaskerException(where + "the token name " + token.name() + " is used twice; give each "
                        + "token its own name");
            }
            if (!hashes.add(HexFormat.of().formatHex(token.sha256()))) {
                throw new TaskerException(where + "the same token hash is listed twice");
            }
            tokens.add(token);
        }
        if (tokens.isEmpty()) {
            throw new TaskerException("the API tokens file " + file + " lists no token, so the API would be open; "
                    + HOW_TO_ADD + " to add, or leave out --api-tokens to run an open API on 127.0.0.1");
        }
        return new ApiTokens(tokens);
    }

    /** One line's token, or null for a blank or comment line. */
    private static ApiToken parseLine(String line, String where) {
        int comment = line.indexOf('#');
        String content = (comment < 0 ? line : line.substring(0, comment)).strip();
        if (content.isEmpty()) {
            return null;
        }
        String[] fields = content.split("\\s+");
        if (fields.length != 3) {
            throw new TaskerException(where + "expected NAME SCOPE sha256:HEX, got " + fields.length + " field"
                    + (fields.length == 1 ? "" : "s") + "; " + HOW_TO_ADD);
        }
        String hash = fields[2];
        if (!hash.startsWith(ApiToken.HASH_PREFIX) || !hash.substring(ApiToken.HASH_PREFIX.length())
                .matches("[0-9a-fA-F]{64}")) {
            throw new TaskerException(where + "the third field must be sha256: and 64 hex digits (the hash of the "
                    + "token, never the token itself); " + HOW_TO_ADD);
        }
        try {
            return new ApiToken(fields[0], Scope.parse(fields[1]),
                    HexFormat.of().parseHex(hash.substring(ApiToken.HASH_PREFIX.length())));
        } catch (IllegalArgumentException e) {
            throw new TaskerException(where + e.getMessage());
        }
    }

    /**
     * The token whose hash is that of {@code presented}, if any. Every configured hash is compared,
     * each in constant time, so how long this takes says nothing about which one matched or how
     * close a guess came.
     */
    public Optional<ApiToken> find(String presented) {
        byte[] hash = ApiToken.sha256(presented);
        ApiToken found = null;
        for (ApiToken token : tokens) {
            if (token.matches(hash) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    public List<ApiToken> all() {
        return tokens;
    }
}
