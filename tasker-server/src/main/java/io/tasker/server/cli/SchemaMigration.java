package io.tasker.server.cli;

import org.flywaydb.core.api.output.MigrateResult;

import java.util.List;

/**
 * What a migration run did, in the words both {@code db migrate} and {@code dev} print.
 *
 * @param applied one line per migration applied, as {@code "version 1 (tasker schema)"}
 * @param version the schema version after the run
 */
record SchemaMigration(List<String> applied, String version) {

    static SchemaMigration of(MigrateResult result) {
        List<String> applied = result.migrations.stream()
                .map(m -> "version " + m.version + " (" + m.description + ")")
                .toList();
        // Flyway leaves the target empty when it had nothing to do.
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return new SchemaMigration(applied, version);
    }

    /** The last line of {@code db migrate}. */
    String summary() {
        if (applied.isEmpty()) {
            return "schema is up to date (version " + version + ")";
        }
        return "applied " + count() + "; schema is now at version " + version;
    }

    /** The schema line of the {@code dev} banner. */
    String status() {
        return "version " + version + (applied.isEmpty() ? " (up to date)" : " (applied " + count() + " just now)");
    }

    private String count() {
        return applied.size() + (applied.size() == 1 ? " migration" : " migrations");
    }
}
