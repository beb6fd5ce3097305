package io.github.mlflowsecretsauth.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile as its instructions: comments dropped, continuation lines joined. Enough to check what a
 * recipe says (stages, user, entry point); the engine itself is the judge of syntax (DockerImageIT).
 */
record Dockerfile(List<Instruction> instructions) {
    /** One instruction: its keyword in upper case and the rest of the line. */
    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String text = pending.toString().strip();
                pending.setLength(0);
                if (!text.isEmpty()) {
                    int space = text.indexOf(' ');
                    out.add(new Instruction(text.substring(0, space < 0 ? text.length() : space).toUpperCase(Locale.ROOT),
                            space < 0 ? "" : text.substring(space + 1).strip()));
                }
            }
        }
        return new Dockerfile(List.copyOf(out));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The last instruction with this keyword (the one in force in the final stage), or null. */
    Instruction last(String keyword) {
        List<Instruction> found = all(keyword);
        return found.isEmpty() ? null : found.get(found.size() - 1);
    }

    /** The instructions of the final stage (after the last FROM). */
    Dockerfile finalStage() {
        int from = instructions.lastIndexOf(last("FROM"));
        return new Dockerfile(instructions.subList(from, instructions.size()));
    }
}
