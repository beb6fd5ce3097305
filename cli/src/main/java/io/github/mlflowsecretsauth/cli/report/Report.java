package io.github.mlflowsecretsauth.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A command's report: checks in order, printed as text in the seed's ✅/❌ style or as JSON.
 * Holds no secret values: callers put only masked or non-secret facts in it.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String command;
    private final String heading;
    private final List<Check> checks = new ArrayList<>();

    public Report(String command, String heading) {
        this.command = command;
        this.heading = heading;
    }

    public Check add(Check c) {
        checks.add(c);
        return c;
    }

    public List<Check> checks() {
        return checks;
    }

    public boolean ok() {
        return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
    }

    /** The first failure as one line, for the closing line and the exit reason. */
    public Optional<String> firstFailure() {
        return checks.stream().filter(c -> c.status() == Status.FAIL).findFirst()
                .map(c -> c.title() + ": " + c.errorText());
    }

    public void printText(PrintWriter out) {
        out.println(heading);
        out.println("=".repeat(heading.length()));
        out.println();
        for (Check c : checks) {
            out.println(c.status().symbol() + " " + c.title());
            c.details().forEach((k, v) -> out.println("  " + k + ": " + v));
            if (c.errorText() != null) {
                out.println("  Error: " + c.errorText());
            }
            if (c.solutionText() != null) {
                out.println("  Solution: " + c.solutionText());
            }
            out.println();
        }
        out.flush();
    }

    public void printJson(PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command);
        root.put("ok", ok());
        ArrayNode arr = root.putArray("checks");
        for (Check c : checks) {
            ObjectNode n = arr.addObject();
            n.put("name", c.title());
            n.put("status", c.status().name().toLowerCase(Locale.ROOT));
            ObjectNode d = n.putObject("details");
            c.details().forEach(d::put);
            if (c.errorText() != null) {
                n.put("error", c.errorText());
            }
            if (c.solutionText() != null) {
                n.put("solution", c.solutionText());
            }
        }
        try {
            out.println(JSON.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
