package io.tasker.server.cli;

import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.server.Http;
import io.tasker.server.api.ApiToken;
import io.tasker.server.api.ApiTokens;
import io.tasker.server.api.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tasker token create}, and {@code tasker server} and {@code tasker dev} with and without
 * API tokens: what they say at start about who may use the API, and that it holds.
 */
class ApiAccessCommandTest {
    private static final Pattern TOKEN = Pattern.compile("(?m)^  (tasker_[A-Za-z0-9_-]{43})$");
    private static final Pattern LINE = Pattern.compile("(?m)^  (\\S+ \\S+ sha256:[0-9a-f]{64})$");

    @TempDir
    Path folder;

    /** Runs {@code token create}, and returns the token it printed after adding its line to {@code file}. */
    private static String createToken(Path file, String name, String scope) throws IOException {
        CommandRun run = CommandRun.run(Map.of(), "token", "create", name, "--scope", scope);
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher token = TOKEN.matcher(run.out());
        Matcher line = LINE.matcher(run.out());
        assertThat(token.find() && line.find()).as(run.out()).isTrue();
        Files.writeString(file, line.group(1) + System.lineSeparator(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return token.group(1);
    }

    @Test
    void tokenCreatePrintsANewTokenOnceAndTheLineThatHoldsOnlyItsHash() throws IOException {
        Path file = folder.resolve("tokens");
        String ci = createToken(file, "ci", "write");
        String ops = createToken(file, "ops", "admin");

        assertThat(ci).isNotEqualTo(ops);
        assertThat(Files.readString(file)).doesNotContain(ci).doesNotContain(ops.substring("tasker_".length()));
        ApiTokens tokens = ApiTokens.read(file);
        assertThat(tokens.find(ci).map(ApiToken::name)).contains("ci");
        assertThat(tokens.find(ci).map(ApiToken::scope)).contains(Scope.WRITE);
        assertThat(tokens.find(ops).map(ApiToken::scope)).contains(Scope.ADMIN);
        assertThat(tokens.find(ci + "x")).isEmpty();
    }

    @Test
    void tokenCreateRefusesAnUnknownScopeOrABadName() {
        CommandRun root = CommandRun.run(Map.of(), "token", "create", "ci", "--scope", "root");
        assertThat(root.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(root.err().strip()).isEqualTo("error: the scope must be one of read, write, admin, got 'root'");

        CommandRun spaced = CommandRun.run(Map.of(), "token", "create", "a b", "--scope", "read");
        assertThat(spaced.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(spaced.err()).startsWith("error: a token name is 1 to 64 letters, digits and . _ @ -");
    }

    @Test
    void aServerWithTokensSaysItIsProtectedAndIs() throws IOException {
        Path file = folder.resolve("tokens");
        String token = createToken(file, "ci", "write");
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Map<String, String> environment = Map.of("TASKER_DATABASE_URL", commandLineUrl(database.database().url()),
                    "TASKER_API_TOKENS_FILE", file.toString());
            try (RunningCommand server = RunningCommand.start(environment, "server", "--port", "0", "--host", "0.0.0.0",
                    "--allow-origin", "https://ops.example.com", "--allow-host", "tasker.internal")) {
                assertThat(server.output()).contains("access      protected: 1 API token (ci: write); cross-origin "
                        + "requests allowed from https://ops.example.com; also answers to tasker.internal"
                        + System.lineSeparator());
                String port = server.printed(Pattern.compile("REST API +http://\\S+:(\\d+)"));
                Http api = new Http("http://127.0.0.1:" + port);

                assertThat(api.get("/v1/tasks").status()).isEqualTo(401);
                assertThat(api.withToken(token).get("/v1/tasks").status()).isEqualTo(200);
                assertThat(server.stop()).isZero();
            }
        }
    }

    @Test
    void anOpenServerSaysSoAndRefusesToListenBeyondLoopback() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Map<String, String> environment = Map.of("TASKER_DATABASE_URL", commandLineUrl(database.database().url()));

            CommandRun refused = CommandRun.run(environment, "server", "--port", "0", "--host", "0.0.0.0");
            assertThat(refused.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(refused.err()).startsWith("error: the API has no tokens, so anyone who reaches it could use it: "
                    + "it listens on a loopback address (127.0.0.1, localhost) only, not on 0.0.0.0.")
                    .contains("tasker token create NAME --scope", "--api-tokens FILE");
            assertThat(refused.out()).doesNotContain("ready");

            try (RunningCommand server = RunningCommand.start(environment, "server", "--port", "0")) {
                assertThat(server.output()).contains("access      open: no API tokens configured, so it listens on "
                        + "127.0.0.1 only" + System.lineSeparator());
                assertThat(new Http(server.printed(RunningCommand.API_URL)).get("/v1/tasks").status()).isEqualTo(200);
                assertThat(server.stop()).isZero();
            }
        }
    }

    @Test
    void aTokensFileThatCannotBeUsedStopsTheStart() throws IOException {
        Path missing = folder.resolve("missing");
        CommandRun noFile = CommandRun.run(Map.of(), "server", "--api-tokens", missing.toString());
        assertThat(noFile.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(noFile.err().strip()).startsWith("error: the API tokens file " + missing + " does not exist");

        Path plain = folder.resolve("plain");
        Files.write(plain, List.of("# a token pasted where its hash belongs", "ci write tasker_abc"));
        CommandRun pasted = CommandRun.run(Map.of(), "dev", "--data-dir", folder.resolve("data").toString(),
                "--api-tokens", plain.toString());
        assertThat(pasted.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(pasted.err().strip()).startsWith("error: " + plain + ":2: the third field must be sha256: and 64 hex "
                + "digits (the hash of the token, never the token itself)");
        assertThat(folder.resolve("data")).doesNotExist();

        Path empty = folder.resolve("empty");
        Files.write(empty, List.of("# nobody yet"));
        CommandRun none = CommandRun.run(Map.of(), "server", "--api-tokens", empty.toString());
        assertThat(none.err().strip()).startsWith("error: the API tokens file " + empty + " lists no token, so the API "
                + "would be open");
    }

    @Test
    void anOriginOrHostNameThatIsNotOneIsRefusedAtStart() {
        CommandRun origin = CommandRun.run(Map.of(), "server", "--allow-origin", "https://ops.example.com/app");
        assertThat(origin.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(origin.err().strip()).isEqualTo("error: --allow-origin takes a web origin: http:// or https://, a "
                + "host and optionally a port, nothing after them (e.g. https://tasker.example.com or "
                + "http://localhost:3000), got 'https://ops.example.com/app'");

        CommandRun host = CommandRun.run(Map.of(), "server", "--allow-host", "tasker.internal:8080");
        assertThat(host.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(host.err().strip()).isEqualTo("error: --allow-host takes a host name or IP address without a port "
                + "(e.g. tasker.internal or 10.0.0.5), got 'tasker.internal:8080'");
    }

    @Test
    void devWithTokensIsProtected(@TempDir Path dataDir) throws IOException {
        Path file = folder.resolve("tokens");
        String token = createToken(file, "alice", "read");
        try (RunningCommand dev = RunningCommand.start(Map.of(), "dev", "--data-dir", dataDir.toString(), "--port", "0",
                "--no-ruby", "--api-tokens", file.toString())) {
            assertThat(dev.output()).contains("access      protected: 1 API token (alice: read)");
            Http api = new Http(dev.printed(RunningCommand.API_URL));

            assertThat(api.get("/v1/templates").status()).isEqualTo(401);
            assertThat(api.withToken(token).get("/v1/templates").status()).isEqualTo(200);
            assertThat(api.withToken(token).post("/v1/tasks", "{}").status()).isEqualTo(403);
            assertThat(dev.stop()).isZero();
        }
    }
}
