package io.tasker.core.template;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.tasker.core.internal.Json;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML into a JSON tree and remembers the line of every value by its JSON pointer, so the
 * validator can say where a problem is. Numbers are exact, as everywhere in Tasker. The tree is
 * built from the token stream because a bound tree forgets where its values came from. It reads
 * task templates and the configuration file.
 */
public final class YamlTree {
    /**
     * {@code root} is null when the text is empty or not valid YAML. {@code lines} maps a pointer to
     * the line of the key (for a mapping entry) or of the value (for a list item and the root).
     */
    public record Parsed(JsonNode root, Map<String, Integer> lines, List<TemplateProblem> problems) {}

    private static final YAMLFactory YAML = new YAMLFactory();

    private final String source;
    private final JsonNodeFactory nodes = Json.MAPPER.getNodeFactory();
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<TemplateProblem> problems = new ArrayList<>();

    private YamlTree(String source) {
        this.source = source;
    }

    static Parsed parse(String yaml, String source) {
        return parse(yaml, source, "template");
    }

    /** As {@link #parse(String, String)} for a file that holds one {@code document} ("template"). */
    public static Parsed parse(String yaml, String source, String document) {
        YamlTree tree = new YamlTree(source);
        JsonNode root = null;
        try (JsonParser parser = YAML.createParser(yaml)) {
            if (parser.nextToken() == null) {
                tree.problems.add(new TemplateProblem(source, null, null, "file is empty; expected a " + document));
            } else {
                tree.lines.put("", line(parser));
                root = tree.value(parser, "");
                if (parser.nextToken() != null) {
                    tree.problems.add(new TemplateProblem(source, line(parser), null,
                            "a file holds one " + document + "; put this second YAML document in its own file"));
                }
            }
        } catch (JsonProcessingException e) {
            return new Parsed(null, tree.lines, List.of(syntaxProblem(e, source)));
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a string failed", e);
        }
        return new Parsed(root, tree.lines, tree.problems);
    }

    /** {@code ~} and {@code /} escaped as in a JSON pointer (RFC 6901). */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private JsonNode value(JsonParser parser, String pointer) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> mapping(parser, pointer);
            case START_ARRAY -> list(parser, pointer);
            case VALUE_STRING -> {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    problems.add(new TemplateProblem(source, line(parser), null,
                            "YAML aliases (*" + parser.getText() + ") are not supported; write the value out"));
                }
                yield nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> decimal(parser);
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_EMBEDDED_OBJECT -> parser.getEmbeddedObject() instanceof byte[] bytes
                    ? nodes.binaryNode(bytes) : nodes.textNode(parser.getText());
            default -> nodes.nullNode();
        };
    }

    private ObjectNode mapping(JsonParser parser, String pointer) throws IOException {
        ObjectNode mapping = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = plainKey(parser.currentName());
            String child = pointer + "/" + escape(key);
            int keyLine = line(parser);
            parser.nextToken();
            if (mapping.has(key)) {
                problems.add(new TemplateProblem(source, keyLine, null,
                        "duplicate key '" + key + "'; it is first set on line " + lines.get(child)));
                parser.skipChildren();
                continue;
            }
            lines.put(child, keyLine);
            mapping.set(key, value(parser, child));
        }
        return mapping;
    }

    /**
     * {@code :name} read as {@code name}: templates dumped from Ruby hashes with symbol keys write
     * {@code :name:}, and tasker-core reads those files as if the keys were plain.
     */
    private static String plainKey(String key) {
        return key.length() > 1 && key.charAt(0) == ':' ? key.substring(1) : key;
    }

    private ArrayNode list(JsonParser parser, String pointer) throws IOException {
        ArrayNode list = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String child = pointer + "/" + list.size();
            lines.put(child, line(parser));
            list.add(value(parser, child));
        }
        return list;
    }

    private JsonNode decimal(JsonParser parser) throws IOException {
        try {
            return nodes.numberNode(parser.getDecimalValue());
        } catch (NumberFormatException e) {
            // .inf and .nan have no exact decimal form
            return nodes.numberNode(parser.getDoubleValue());
        }
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static TemplateProblem syntaxProblem(JsonProcessingException e, String source) {
        Integer line = e.getLocation() == null ? null : e.getLocation().getLineNr();
        String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        // SnakeYAML's own exception has the problem apart from the quoted snippet Jackson's message carries.
        if (e.getCause() instanceof MarkedYAMLException marked) {
            line = marked.getProblemMark() == null ? line : marked.getProblemMark().getLine() + 1;
            message = marked.getProblem();
            if (marked.getContext() != null && marked.getContextMark() != null) {
                message += " (" + marked.getContext() + " started on line " + (marked.getContextMark().getLine() + 1) + ")";
            }
        }
        return new TemplateProblem(source, line, null, "YAML syntax error: " + message);
    }
}
