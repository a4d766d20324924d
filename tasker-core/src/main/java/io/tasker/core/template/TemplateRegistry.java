package io.tasker.core.template;

import io.tasker.core.Ids;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.internal.Jdbc;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The templates tasks can be created from, in PostgreSQL. A registered version never changes:
 * registering the same content again does nothing, and different content under a registered
 * version is refused, because tasks already created from it must keep meaning what they meant.
 *
 * <p>Registration is safe when several processes register at once: the insert skips a row that
 * exists (waiting for a concurrent insert of it to commit first), and only then is the stored
 * content hash compared. Under REPEATABLE READ or SERIALIZABLE a concurrent insert surfaces as a
 * serialization failure instead, to be retried like any other.
 */
public final class TemplateRegistry {
    private static final String INSERT_NAMESPACE = """
            insert into tasker_namespaces (name) values (?)
            on conflict (name) do nothing
            """;
    private static final String INSERT_TEMPLATE = """
            insert into tasker_templates (id, namespace, name, version, version_major, version_minor, version_patch,
                                          content_hash, definition, source)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (namespace, name, version) do nothing
            """;
    private static final String STORED_HASH = """
            select content_hash from tasker_templates
            where namespace = ? and name = ? and version = ?
            """;
    private static final String UNFINISHED_TASKS = """
            select count(*) from tasker_tasks t
            join tasker_templates tt on tt.id = t.template_id
            where tt.namespace = ? and tt.name = ? and tt.version = ?
              and t.state not in ('complete', 'cancelled', 'resolved_manually')
            """;
    private static final String REPLACE = """
            update tasker_templates set content_hash = ?, definition = ?, source = ?
            where namespace = ? and name = ? and version = ?
            """;
    private static final String SELECT = """
            select id, definition, created_at from tasker_templates
            """;
    private static final String FIND = SELECT + """
            where namespace = ? and name = ? and version = ?
            """;
    private static final String NEWEST = SELECT + """
            where namespace = ? and name = ?
            order by version_major desc, version_minor desc, version_patch desc
            limit 1
            """;
    private static final String LIST = SELECT + """
            order by namespace, name, version_major, version_minor, version_patch
            """;

    private final DataSource dataSource;

    public TemplateRegistry(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Registers {@code template} in its own transaction; {@code source} (e.g. the file it came
     * from, may be null) is kept for people reading the registry.
     *
     * @throws TemplateConflictException when different content is registered under the same version
     */
    public RegistrationResult register(TaskTemplate template, String source) {
        return Jdbc.inTransaction(dataSource, connection -> register(connection, template, source));
    }

    /** As {@link #register(TaskTemplate, String)}, inside the caller's transaction on {@code connection}. */
    public RegistrationResult register(Connection connection, TaskTemplate template, String source) {
        return register(connection, template, source, false);
    }

    /**
     * As {@link #register(Connection, TaskTemplate, String)}, except that a template whose content
     * changed under its version replaces the stored one when no task that may still run uses it
     * (every task of that version is complete, cancelled or resolved): how {@code tasker dev} lets
     * someone edit a template without bumping its version. A task in {@code error} counts as
     * unfinished, since an operator may retry its steps.
     *
     * @throws TemplateConflictException when such a task exists
     */
    public RegistrationResult registerOrReplace(Connection connection, TaskTemplate template, String source) {
        return register(connection, template, source, true);
    }

    private RegistrationResult register(Connection connection, TaskTemplate template, String source, boolean replace) {
        String hash = template.contentHash();
        SemVer version = template.version();
        try {
            Jdbc.update(connection, INSERT_NAMESPACE, template.namespace());
            int inserted = Jdbc.update(connection, INSERT_TEMPLATE, Ids.newId(), template.namespace(), template.name(),
                    version.toString(), version.major(), version.minor(), version.patch(), hash,
                    Jdbc.json(template.toJson()), source);
            if (inserted == 1) {
                return RegistrationResult.REGISTERED;
            }
            String stored = Jdbc.queryOne(connection, STORED_HASH, row -> row.getString(1),
                    template.namespace(), template.name(), version.toString()).orElseThrow(() ->
                    new DatabaseException("template " + template.key() + " was neither inserted nor found"));
            if (stored.equals(hash)) {
                return RegistrationResult.UNCHANGED;
            }
            if (!replace) {
                throw new TemplateConflictException(template.key());
            }
            long unfinished = Jdbc.queryOne(connection, UNFINISHED_TASKS, row -> row.getLong(1),
                    template.namespace(), template.name(), version.toString()).orElse(0L);
            if (unfinished > 0) {
                throw new TemplateConflictException(template.key(), template.key() + " changed, but " + unfinished
                        + (unfinished == 1 ? " task that may still run uses it" : " tasks that may still run use it")
                        + "; let them finish or cancel them, or bump the version");
            }
            Jdbc.update(connection, REPLACE, hash, Jdbc.json(template.toJson()), source,
                    template.namespace(), template.name(), version.toString());
            return RegistrationResult.REPLACED;
        } catch (SQLException e) {
            throw new DatabaseException("cannot register " + template.key() + ": " + e.getMessage(), e);
        }
    }

    public Optional<RegisteredTemplate> find(String namespace, String name, SemVer version) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, FIND, TemplateRegistry::registered,
                namespace, name, version.toString()));
    }

    /** The highest version of a template by number, so 1.10.0 wins over 1.9.0. */
    public Optional<RegisteredTemplate> newest(String namespace, String name) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, NEWEST, TemplateRegistry::registered,
                namespace, name));
    }

    /** Every registered template, by namespace, name and version. */
    public List<RegisteredTemplate> list() {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, LIST, TemplateRegistry::registered));
    }

    private static RegisteredTemplate registered(ResultSet row) throws SQLException {
        return new RegisteredTemplate(Jdbc.uuid(row, "id"), TaskTemplate.fromJson(row.getString("definition")),
                Jdbc.instant(row, "created_at"));
    }
}
