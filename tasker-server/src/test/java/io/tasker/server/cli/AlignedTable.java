package io.tasker.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A table as a command printed it: a header line, then rows whose cells start under their column's name. */
record AlignedTable(List<String> columns, List<List<String>> rows) {
    private static final Pattern COLUMN = Pattern.compile("\\S+(?: \\S+)*");

    /** Reads {@code text}, asserting that every row's cells start where the header's column names do. */
    static AlignedTable parse(String text) {
        List<String> lines = text.lines().toList();
        assertThat(lines).as(text).isNotEmpty();
        String header = lines.getFirst();
        List<String> columns = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Matcher column = COLUMN.matcher(header);
        while (column.find()) {
            columns.add(column.group());
            starts.add(column.start());
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++) {
                int start = starts.get(i);
                assertThat(line.length()).as("row '%s' reaches column %s", line, columns.get(i)).isGreaterThan(start);
                assertThat(line.charAt(start)).as("row '%s' has a cell at column %s", line, columns.get(i))
                        .isNotEqualTo(' ');
                if (i > 0) {
                    assertThat(line.substring(start - 2, start)).as("row '%s' before column %s", line, columns.get(i))
                            .isEqualTo("  ");
                }
                int end = i + 1 < starts.size() ? starts.get(i + 1) : line.length();
                cells.add(line.substring(start, Math.min(end, line.length())).strip());
            }
            rows.add(cells);
        }
        return new AlignedTable(columns, rows);
    }

    /** The cells of one column, top to bottom. */
    List<String> column(String name) {
        int index = columns.indexOf(name);
        assertThat(index).as("column %s in %s", name, columns).isNotNegative();
        return rows.stream().map(row -> row.get(index)).toList();
    }
}
