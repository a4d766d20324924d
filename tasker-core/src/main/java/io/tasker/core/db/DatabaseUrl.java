package io.tasker.core.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Where the database is. Accepts both {@code postgresql://user:password@host:port/db?params}
 * (libpq style, as most tools print it) and {@code jdbc:postgresql://host:port/db?user=...}.
 * {@link #toString()} masks the password, wherever it was given, so a URL can be printed and logged.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {
    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    private static final String MASK = "***";
    /**
     * {@code user:secret@} in a URL's authority, up to its last {@code @}: a URL quoted in an error
     * may be malformed because its password has a {@code /} or {@code @} that was not escaped.
     */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(://[^:@/?#\\s]*):[^?#\\s]*@");
    /** {@code password=}, {@code sslpassword=} and the like among a URL's parameters. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][^=&;#\\s]*password=)[^&;#\\s]*");

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
            throw new IllegalArgumentException("malformed database URL '" + redact(trimmed) + "': "
                    + redact(e.getReason()));
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
        StringBuilder jdbc = new StringBuilder(JDBC_PREFIX).append(uri.getHost());
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
        return new DatabaseUrl(JDBC_PREFIX + host + ":" + port + "/" + database, user, null);
    }

    /** The same server, another database on it. */
    public DatabaseUrl withDatabase(String database) {
        String rest = jdbcUrl.substring(JDBC_PREFIX.length());
        int slash = rest.indexOf('/');
        int query = rest.indexOf('?');
        String hostPort = slash < 0 ? (query < 0 ? rest : rest.substring(0, query)) : rest.substring(0, slash);
        String params = query < 0 ? "" : rest.substring(query);
        return new DatabaseUrl(JDBC_PREFIX + hostPort + "/" + database + params, user, password);
    }

    public DatabaseUrl withPassword(String newPassword) {
        return new DatabaseUrl(jdbcUrl, user, newPassword);
    }

    /** Whether a password is given, as a field or as a parameter of the JDBC URL. */
    public boolean hasPassword() {
        return password != null || parameter("password").isPresent();
    }

    /** The user, given as a field or as a parameter of the JDBC URL. */
    public Optional<String> userName() {
        return user != null ? Optional.of(user) : parameter("user");
    }

    /** The host, when the URL names exactly one (a JDBC URL may list several). */
    public Optional<String> host() {
        String authority = authority();
        if (authority.isEmpty() || authority.contains(",")) {
            return Optional.empty();
        }
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? Optional.empty() : Optional.of(authority.substring(1, end));
        }
        int colon = authority.lastIndexOf(':');
        return Optional.of(colon < 0 ? authority : authority.substring(0, colon));
    }

    /** The port, when the URL names exactly one host; PostgreSQL's 5432 when it names none. */
    public OptionalInt port() {
        String authority = authority();
        if (authority.isEmpty() || authority.contains(",")) {
            return OptionalInt.empty();
        }
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.lastIndexOf(']') > colon) {
            return OptionalInt.of(5432);
        }
        try {
            return OptionalInt.of(Integer.parseInt(authority.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The JDBC URL and the user, the password masked. */
    @Override
    public String toString() {
        return redact(jdbcUrl) + (user == null ? "" : " (user " + user + ")");
    }

    /**
     * {@code text} with every password in a database URL it holds masked: in the authority
     * ({@code postgresql://alice:***@host/db}) and among the parameters ({@code ?password=***}).
     * For whatever is printed or logged that may hold a URL, such as a driver's error message.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = USER_INFO_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }

    private String authority() {
        if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
            return "";
        }
        String rest = jdbcUrl.substring(JDBC_PREFIX.length());
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return rest.substring(0, end);
    }

    private Optional<String> parameter(String name) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        for (String pair : jdbcUrl.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (key.toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
