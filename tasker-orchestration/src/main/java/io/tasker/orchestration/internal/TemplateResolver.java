package io.tasker.orchestration.internal;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.template.SemVer;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.InvalidTaskRequestException;
import io.tasker.orchestration.UnknownTemplateException;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the registered template a task request names and its {@link TaskBlueprint}. A request
 * costs one indexed lookup of the template's id and content hash; the definition is read through
 * the {@link TemplateRegistry} and prepared only the first time a content hash is seen. Keying
 * by content is safe because a registered version never changes, and it lets identical templates
 * (the same file registered in several databases) share one blueprint.
 */
public final class TemplateResolver {
    private static final String COLUMNS = """
            select id, version, content_hash from tasker_templates
            where namespace = ? and name = ?
            """;
    private static final String EXACT = COLUMNS + """
            and version = ?
            """;
    private static final String NEWEST = COLUMNS + """
            order by version_major desc, version_minor desc, version_patch desc
            limit 1
            """;
    private static final String VERSIONS = """
            select version from tasker_templates
            where namespace = ? and name = ?
            order by version_major, version_minor, version_patch
            """;

    /** A request's template: the row tasks refer to, and how to create them. */
    public record Resolved(UUID templateId, TaskBlueprint blueprint) {}

    private record Row(UUID id, String version, String contentHash) {}

    private final DataSource dataSource;
    private final TemplateRegistry registry;
    private final Map<String, TaskBlueprint> blueprints = new ConcurrentHashMap<>();

    public TemplateResolver(DataSource dataSource, TemplateRegistry registry) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The template {@code namespace/name} at {@code version}, or its newest version when that is null.
     *
     * @throws InvalidTaskRequestException when a name is missing or the version is malformed
     * @throws UnknownTemplateException when no such template or version is registered
     */
    public Resolved resolve(String namespace, String name, String version) {
        require("namespace", namespace);
        require("name", name);
        SemVer wanted = null;
        if (version != null) {
            try {
                wanted = SemVer.parse(version);
            } catch (IllegalArgumentException e) {
                throw new InvalidTaskRequestException(e.getMessage());
            }
        }
        String exact = wanted == null ? null : wanted.toString();
        Optional<Row> row = Jdbc.withConnection(dataSource, c -> exact == null
                ? Jdbc.queryOne(c, NEWEST, TemplateResolver::row, namespace, name)
                : Jdbc.queryOne(c, EXACT, TemplateResolver::row, namespace, name, exact));
        if (row.isEmpty()) {
            throw unknown(namespace, name, exact);
        }
        TaskBlueprint blueprint = blueprints.get(row.get().contentHash());
        if (blueprint == null) {
            blueprint = prepare(namespace, name, row.get());
        }
        return new Resolved(row.get().id(), blueprint);
    }

    /** Outside the map's lock: reading and compiling may take a while, and a lost race only wastes the work. */
    private TaskBlueprint prepare(String namespace, String name, Row row) {
        TaskBlueprint prepared = registry.find(namespace, name, SemVer.parse(row.version()))
                .map(registered -> TaskBlueprint.of(registered.template()))
                .orElseThrow(() -> unknown(namespace, name, row.version()));
        TaskBlueprint raced = blueprints.putIfAbsent(row.contentHash(), prepared);
        return raced == null ? prepared : raced;
    }

    private UnknownTemplateException unknown(String namespace, String name, String version) {
        List<String> registered = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, VERSIONS,
                r -> r.getString("version"), namespace, name));
        String template = namespace + "/" + name;
        if (registered.isEmpty()) {
            return new UnknownTemplateException("no template " + template + " is registered");
        }
        return new UnknownTemplateException(template + " has no version " + version + "; registered: "
                + String.join(", ", registered));
    }

    private static void require(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidTaskRequestException("a task request needs a template " + field);
        }
    }

    private static Row row(ResultSet row) throws SQLException {
        return new Row(Jdbc.uuid(row, "id"), row.getString("version"), row.getString("content_hash"));
    }
}
