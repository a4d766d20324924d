package io.tasker.core.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is. Accepts both {@code postgresql://user:password@host:port/db?params}
 * (libpq style, as most tools print it) and {@code jdbc:postgresql://host:port/db?user=...}.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("database URL is empty; give postgresql://user@host:port/db");
        }
        String trimmed = url.trim();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(trimmed, null, null);
        }
        if (!trimmed.startsWith("postgresql://") && !trimmed.startsWith("postgres://")) {
            throw new IllegalArgumentException("unsupported database URL '" + redact(trimmed)
                    + "': expected postgresql://user@host:port/db or jdbc:postgresql://host:port/db");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed database URL '" + redact(trimmed) + "': " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("database URL '" + redact(trimmed) + "' names no host");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append('/').append(database);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    public static DatabaseUrl of(String host, int port, String database, String user) {
        return new DatabaseUrl("jdbc:postgresql://" + host + ":" + port + "/" + database, user, null);
    }

    /** The same server, another database on it. */
    public DatabaseUrl withDatabase(String database) {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        int query = rest.indexOf('?');
        String hostPort = slash < 0 ? (query < 0 ? rest : rest.substring(0, query)) : rest.substring(0, slash);
        String params = query < 0 ? "" : rest.substring(query);
        return new DatabaseUrl("jdbc:postgresql://" + hostPort + "/" + database + params, user, password);
    }

    @Override
    public String toString() {
        return jdbcUrl + (user == null ? "" : " (user " + user + ")");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
    }
}
