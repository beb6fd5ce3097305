package io.github.mlflowsecretsauth.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A tab-separated file whose first line names the columns, as the bench scripts write them. Immutable. */
public final class Tsv {
    /** One row, read by column name. */
    public record Row(Map<String, String> cells) {
        public String get(String column) {
            String v = cells.get(column);
            if (v == null) {
                throw new IllegalArgumentException("no column " + column + " in " + cells.keySet());
            }
            return v;
        }

        public double num(String column) {
            return Double.parseDouble(get(column));
        }
    }

    private final List<Row> rows;

    private Tsv(List<Row> rows) {
        this.rows = rows;
    }

    public static Tsv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split("\t");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                m.put(header[i], i < cells.length ? cells[i] : "");
            }
            rows.add(new Row(m));
        }
        return new Tsv(List.copyOf(rows));
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Row> where(Predicate<Row> p) {
        return rows.stream().filter(p).toList();
    }

    /** The distinct values of a column, in first-seen order. */
    public List<String> distinct(String column) {
        return rows.stream().map(r -> r.get(column)).distinct().toList();
    }
}
