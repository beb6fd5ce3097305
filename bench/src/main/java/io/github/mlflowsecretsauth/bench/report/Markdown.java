package io.github.mlflowsecretsauth.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds one section of docs/PERFORMANCE.md: prose lines and pipe tables. Not thread-safe. */
public final class Markdown {
    private final StringBuilder out = new StringBuilder();
    private List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Markdown line(String text) {
        flushTable();
        out.append(text).append('\n');
        return this;
    }

    public Markdown table(String... columns) {
        flushTable();
        header = List.of(columns);
        return this;
    }

    public Markdown row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    private void flushTable() {
        if (header == null) {
            return;
        }
        out.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            out.append("---|");
        }
        out.append('\n');
        for (List<String> r : rows) {
            out.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        out.append('\n');
        header = null;
        rows.clear();
    }

    @Override
    public String toString() {
        flushTable();
        return out.toString();
    }

    /** Writes the section to {@code file} (creating its folder) and echoes it to stdout. */
    public void writeTo(Path file) {
        String text = toString();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.print(text);
    }
}
