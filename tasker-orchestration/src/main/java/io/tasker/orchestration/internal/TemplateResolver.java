package io.tasker.orchestration.internal;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.template.SemVer;
import io.tasker.core.template.Suggestions;
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
 * Finds the registered template a task request names and its {@link TaskBlueprint}, from memory
 * after the first request for it. A registered version never changes, so what a name and version
 * resolve to is kept for good; "the newest version" can change when a newer one is registered, so
 * that answer is only a guess ({@link Resolved#newestOnly()}) which the creating transaction
 * checks, and {@link #forget} drops when the check fails. The definition is read through the
 * {@link TemplateRegistry} and prepared once per content hash, so identical templates (the same
 * file registered in several databases) share one blueprint.
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
    private static final String TEMPLATE_NAMES = """
            select distinct namespace || '/' || name as template from tasker_templates
            """;

    private static final String VERSIONS = """
            select version from tasker_templates
            where namespace = ? and name = ?
            order by version_major, version_minor, version_patch
            """;

    /**
     * A request's template: the row tasks refer to, and how to create them. {@code newestOnly}
     * when the request asked for the newest version, which the creating transaction must confirm.
     */
    public record Resolved(UUID templateId, TaskBlueprint blueprint, boolean newestOnly) {}

    /** Resolutions are small; the bound only guards against a client inventing names without end. */
    private static final int MAX_CACHED = 10_000;

    private record Row(UUID id, String version, String contentHash) {}

    private final DataSource dataSource;
    private final TemplateRegistry registry;
    private final Map<String, TaskBlueprint> blueprints = new ConcurrentHashMap<>();
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

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
        String key = key(namespace, name, exact);
        Resolved known = resolved.get(key);
        if (known != null) {
            return known;
        }
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
        Resolved found = new Resolved(row.get().id(), blueprint, exact == null);
        if (resolved.size() >= MAX_CACHED) {
            resolved.clear();
        }
        resolved.put(key, found);
        return found;
    }

    /** Drops what {@code namespace/name} at {@code version} (null: newest) resolved to, to read it again. */
    public void forget(String namespace, String name, String version) {
        String exact = null;
        if (version != null) {
            try {
                exact = SemVer.parse(version).toString();
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        resolved.remove(key(namespace, name, exact));
    }

    private static String key(String namespace, String name, String version) {
        return namespace + '\n' + name + '\n' + (version == null ? "" : version);
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
            List<String> templates = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, TEMPLATE_NAMES,
                    r -> r.getString("template")));
            return new UnknownTemplateException("no template " + template + " is registered"
                    + Suggestions.didYouMean(template, templates));
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
