package io.tasker.bench.chaos.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/** Reads the journals of a chaos run (see {@link Journal}) back into executions. */
final class ExecutionRecords {
    private ExecutionRecords() {}

    /** Every execution journaled in {@code folder}, in the order their start lines were written. */
    static List<Execution> read(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".tsv")).sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            lines.addAll(Files.readAllLines(file));
        }
        return parse(lines);
    }

    static List<Execution> parse(List<String> lines) {
        Map<String, String[]> starts = new LinkedHashMap<>();
        Map<String, String[]> ends = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            switch (fields[0]) {
                case "start" -> starts.put(require(fields, 6, line)[3], fields);
                case "end" -> ends.put(require(fields, 7, line)[3], fields);
                default -> throw new IllegalArgumentException("not a chaos journal line: " + line);
            }
        }
        List<Execution> executions = new ArrayList<>(starts.size());
        for (Map.Entry<String, String[]> entry : starts.entrySet()) {
            String[] start = entry.getValue();
            String[] end = ends.remove(entry.getKey());
            executions.add(new Execution(UUID.fromString(start[1]), Integer.parseInt(start[2]), start[3],
                    Long.parseLong(start[4]), Long.parseLong(start[5]),
                    end == null ? null : Long.parseLong(end[5]), end == null ? null : end[6]));
        }
        if (!ends.isEmpty()) {
            throw new IllegalArgumentException("the chaos journals end runs that they never started: " + ends.keySet());
        }
        return executions;
    }

    private static String[] require(String[] fields, int count, String line) {
        if (fields.length != count) {
            throw new IllegalArgumentException("a chaos journal line with " + fields.length + " fields instead of "
                    + count + ": " + line);
        }
        return fields;
    }
}
