package io.tasker.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TaskerClient} reaches the API: where it is, the token it presents, and how long it
 * waits. Immutable; build one with {@link #builder()}, which checks the URL and the timeouts so a
 * mistake shows at start rather than at the first request.
 *
 * @param baseUrl        the API's base URL, e.g. {@code http://127.0.0.1:8080}, without a trailing slash
 * @param token          sent as {@code Authorization: Bearer TOKEN}, or null on an open API
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for each answer
 */
public record TaskerClientOptions(URI baseUrl, String token, Duration connectTimeout, Duration requestTimeout) {
    /** Where {@code tasker dev} serves the API unless told otherwise. */
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public TaskerClientOptions {
        Objects.requireNonNull(baseUrl, "baseUrl");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (token != null && (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw new IllegalArgumentException("the token must be printable ASCII without spaces; check where it "
                    + "was copied from");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default options with another base URL. */
    public static TaskerClientOptions of(String baseUrl) {
        return builder().baseUrl(baseUrl).build();
    }

    private static void requirePositive(Duration timeout, String name) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + timeout);
        }
    }

    public static final class Builder {
        private String baseUrl = DEFAULT_URL;
        private String token;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder() {}

        /** An {@code http} or {@code https} URL; default {@value #DEFAULT_URL}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The API token; null or blank for none. */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token.strip();
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** @throws IllegalArgumentException for a URL that is not {@code http(s)://host[:port][/path]} */
        public TaskerClientOptions build() {
            return new TaskerClientOptions(parse(baseUrl), token, connectTimeout, requestTimeout);
        }

        private static URI parse(String url) {
            String trimmed = url == null ? "" : url.strip();
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            try {
                URI uri = new URI(trimmed);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getQuery() == null && uri.getFragment() == null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // reported below, with an example
            }
            throw new IllegalArgumentException("the Tasker URL must look like " + DEFAULT_URL + ", got '" + url + "'");
        }
    }
}
