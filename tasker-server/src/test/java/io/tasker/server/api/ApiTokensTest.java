package io.tasker.server.api;

import io.tasker.core.TaskerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tokens file: what it takes, and what it refuses with the line to fix. */
class ApiTokensTest {
    @TempDir
    Path folder;

    private Path file(String... lines) throws IOException {
        return Files.write(folder.resolve("tokens"), List.of(lines));
    }

    @Test
    void readsNamesScopesAndHashesAroundCommentsAndBlankLines() throws IOException {
        ApiToken.Created ci = ApiToken.create("ci", Scope.WRITE);
        ApiToken.Created ops = ApiToken.create("ops@example.com", Scope.ADMIN);

        ApiTokens tokens = ApiTokens.read(file("# who may use the API", "", "  " + ci.line() + "   # the build",
                ops.line().replace(" ", "\t")));

        assertThat(tokens.all()).extracting(ApiToken::name).containsExactly("ci", "ops@example.com");
        assertThat(tokens.find(ci.token())).contains(ci.apiToken());
        assertThat(tokens.find(ops.token()).map(ApiToken::scope)).contains(Scope.ADMIN);
        assertThat(tokens.find(ops.token() + " ")).isEmpty();
        assertThat(tokens.find("")).isEmpty();
    }

    @Test
    void refusesAMalformedLineNamingIt() throws IOException {
        String hash = ApiToken.create("x", Scope.READ).line().split(" ")[2];
        Path twoFields = file("# ok", "ci write");
        assertThatThrownBy(() -> ApiTokens.read(twoFields)).isInstanceOf(TaskerException.class)
                .hasMessage(twoFields + ":2: expected NAME SCOPE sha256:HEX, got 2 fields; 'tasker token create NAME "
                        + "--scope read|write|admin' prints a token and its line");

        Path badScope = file("ci root " + hash);
        assertThatThrownBy(() -> ApiTokens.read(badScope))
                .hasMessage(badScope + ":1: the scope must be one of read, write, admin, got 'root'");

        Path shortHash = file("ci read sha256:abc");
        assertThatThrownBy(() -> ApiTokens.read(shortHash)).hasMessageStartingWith(shortHash + ":1: the third field "
                + "must be sha256: and 64 hex digits");

        Path badName = file("c/i read " + hash);
        assertThatThrownBy(() -> ApiTokens.read(badName)).hasMessageStartingWith(badName + ":1: a token name is 1 to 64");
    }

    @Test
    void refusesANameOrAHashListedTwice() throws IOException {
        ApiToken.Created ci = ApiToken.create("ci", Scope.WRITE);
        Path sameName = file(ci.line(), ApiToken.create("ci", Scope.READ).line());
        assertThatThrownBy(() -> ApiTokens.read(sameName))
                .hasMessage(sameName + ":2: the token name ci is used twice; give each token its own name");

        Path sameHash = file(ci.line(), ci.line().replace("ci write", "other read"));
        assertThatThrownBy(() -> ApiTokens.read(sameHash)).hasMessage(sameHash + ":2: the same token hash is listed twice");
    }
}
