package io.tasker.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.template.Suggestions;
import io.tasker.core.template.TemplateProblem;
import io.tasker.core.template.YamlTree;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration file ({@code tasker.yaml}): settings by key, in sections ({@code worker:} then
 * {@code slots: 3}) or written out ({@code worker.slots: 3}). A key that names no setting is an
 * error, with the setting probably meant, so a typo never silently leaves a default in place.
 *
 * @param name    the file as the user named it, for messages
 * @param folder  where relative paths in it start from
 * @param entries the settings it gives, by key
 */
public record ConfigFile(String name, Path folder, Map<String, Entry> entries) {
    /** A value as written: one text, or a YAML list of texts ({@code list}); and its line. */
    public record Entry(List<String> texts, boolean list, int line) {}

    /**
     * Reads {@code file} for the settings of {@code catalogue}.
     *
     * @throws ConfigException naming the file and line of every problem, on one line
     */
    public static ConfigFile read(Path file, String name, Map<String, Setting<?>> catalogue) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read it: " + e.getMessage());
        }
        Path folder = file.toAbsolutePath().getParent();
        if (yaml.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
            return new ConfigFile(name, folder, Map.of());
        }
        YamlTree.Parsed parsed = YamlTree.parse(yaml, name, "configuration");
        List<String> problems = new ArrayList<>(parsed.problems().stream().map(p -> at(name, p)).toList());
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonNode root = parsed.root();
        if (root != null && !root.isNull()) {
            if (!root.isObject()) {
                problems.add(name + " line " + parsed.lines().get("") + ": expected settings (key: value lines), "
                        + "got a " + kind(root));
            } else {
                new Reader(name, catalogue, parsed.lines(), entries, problems).section(root, "", "");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return new ConfigFile(name, folder, entries);
    }

    private static String at(String name, TemplateProblem problem) {
        return problem.line() == null ? name + ": " + problem.message()
                : name + " line " + problem.line() + ": " + problem.message();
    }

    private static String kind(JsonNode node) {
        return node.isObject() ? "mapping" : node.isArray() ? "list" : "single value";
    }

    private record Reader(String name, Map<String, Setting<?>> catalogue, Map<String, Integer> lines,
                          Map<String, Entry> entries, List<String> problems) {
        void section(JsonNode mapping, String prefix, String pointer) {
            for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String key = prefix + field.getKey();
                String at = pointer + "/" + YamlTree.escape(field.getKey());
                int line = lines.getOrDefault(at, 0);
                JsonNode value = field.getValue();
                Setting<?> setting = catalogue.get(key);
                if (setting == null && value.isObject()) {
                    // A section, or a misspelt one, whose keys then get the suggestions.
                    section(value, key + ".", at);
                } else if (setting == null) {
                    problems.add(name + " line " + line + ": unknown setting '" + key + "'"
                            + Suggestions.didYouMean(key, catalogue.keySet()));
                } else if (value.isNull()) {
                    // "slots:" with nothing after it leaves the setting unset.
                } else if (value.isObject() || value.isArray() && !setting.isList()
                        || value.isArray() && containsNonScalar(value)) {
                    problems.add(name + " line " + line + ": " + key + " must be " + setting.type().expected()
                            + ", got a " + (value.isObject() ? "mapping" : "list"));
                } else if (value.isArray()) {
                    List<String> texts = new ArrayList<>();
                    value.forEach(element -> texts.add(element.asText()));
                    entries.put(key, new Entry(texts, true, line));
                } else {
                    entries.put(key, new Entry(List.of(value.asText()), false, line));
                }
            }
        }

        private static boolean containsNonScalar(JsonNode list) {
            for (JsonNode element : list) {
                if (element.isContainerNode()) {
                    return true;
                }
            }
            return false;
        }
    }
}
