package io.tasker.server.api;

import io.tasker.core.TaskerException;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Who may use the API and from where: the tokens it accepts (none: an open API, which binds to
 * loopback only), the web origins other than its own whose pages may call it, and the host names
 * it answers to beyond its own addresses. {@code bodyTimeout} is how long a request body may
 * stall before the request is answered 408.
 */
public record ApiSettings(ApiTokens tokens, List<String> allowedOrigins, List<String> allowedHosts,
                          Duration bodyTimeout) {
    public static final Duration BODY_TIMEOUT = Duration.ofSeconds(30);
    /** No tokens, no other origin, no other host name: what {@code tasker dev} runs without options. */
    public static final ApiSettings OPEN = new ApiSettings(ApiTokens.NONE, List.of(), List.of());

    /**
     * @throws TaskerException for an origin or host name that is not one, saying which option to fix
     */
    public ApiSettings {
        Objects.requireNonNull(tokens, "tokens");
        allowedOrigins = allowedOrigins.stream().map(ApiSettings::origin).distinct().toList();
        allowedHosts = allowedHosts.stream().map(ApiSettings::hostName).distinct().toList();
        if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
            throw new IllegalArgumentException("the body timeout must be positive, got " + bodyTimeout);
        }
    }

    public ApiSettings(ApiTokens tokens, List<String> allowedOrigins, List<String> allowedHosts) {
        this(tokens, allowedOrigins, allowedHosts, BODY_TIMEOUT);
    }

    public ApiSettings withBodyTimeout(Duration timeout) {
        return new ApiSettings(tokens, allowedOrigins, allowedHosts, timeout);
    }

    /** Open: no token configured, so every request is served without one. */
    public boolean open() {
        return tokens.isEmpty();
    }

    /**
     * An open API serves anyone who reaches it, so it may only be reached from this machine.
     *
     * @throws TaskerException when there are no tokens and {@code host} is not a loopback address
     */
    public void requireSafeBinding(String host) {
        if (open() && !HostCheck.isLoopback(host)) {
            throw new TaskerException("the API has no tokens, so anyone who reaches it could use it: it listens on a "
                    + "loopback address (127.0.0.1, localhost) only, not on " + host + ". To serve other machines, "
                    + "protect it: create tokens with 'tasker token create NAME --scope read|write|admin', put "
                    + "their lines in a file and start with --api-tokens FILE (or TASKER_API_TOKENS_FILE=FILE)");
        }
    }

    /**
     * One line for a start banner: {@code open: no API tokens configured, so it listens on
     * 127.0.0.1 only}, or {@code protected: 2 API tokens (ci: write, ops: admin)}, and the origins
     * and host names allowed besides.
     */
    public String describe(String host) {
        StringBuilder line = new StringBuilder();
        if (open()) {
            line.append("open: no API tokens configured, so it listens on ").append(host).append(" only");
        } else {
            int count = tokens.all().size();
            line.append("protected: ").append(count).append(count == 1 ? " API token (" : " API tokens (")
                    .append(tokens.all().stream().map(token -> token.name() + ": " + token.scope().label())
                            .collect(Collectors.joining(", "))).append(')');
        }
        if (!allowedOrigins.isEmpty()) {
            line.append("; cross-origin requests allowed from ").append(String.join(", ", allowedOrigins));
        }
        if (!allowedHosts.isEmpty()) {
            line.append("; also answers to ").append(String.join(", ", allowedHosts));
        }
        return line.toString();
    }

    private static String origin(String text) {
        return CrossOrigin.normalize(text).orElseThrow(() -> new TaskerException("--allow-origin takes a web "
                + "origin: http:// or https://, a host and optionally a port, nothing after them (e.g. "
                + "https://tasker.example.com or http://localhost:3000), got '" + text + "'"));
    }

    private static String hostName(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        if (!HostCheck.isHostName(name)) {
            throw new TaskerException("--allow-host takes a host name or IP address without a port (e.g. "
                    + "tasker.internal or 10.0.0.5), got '" + text + "'");
        }
        return name;
    }
}
