package io.github.mlflowsecretsauth.cli.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One section of a report: a title, an outcome, facts (never secret values), and for a failure the
 * error and what to do. Built by one command and then only read. Not thread-safe while building.
 */
public final class Check {
    private final String title;
    private Status status;
    private final Map<String, String> details = new LinkedHashMap<>();
    private String error;
    private String solution;

    public Check(String title, Status status) {
        this.title = title;
        this.status = status;
    }

    public static Check ok(String title) {
        return new Check(title, Status.OK);
    }

    public static Check info(String title) {
        return new Check(title, Status.INFO);
    }

    public static Check fail(String title, String error, String solution) {
        return new Check(title, Status.FAIL).error(error).solution(solution);
    }

    public Check detail(String key, String value) {
        details.put(key, value);
        return this;
    }

    public Check error(String error) {
        this.error = error;
        return this;
    }

    public Check solution(String solution) {
        this.solution = solution;
        return this;
    }

    public Check status(Status status) {
        this.status = status;
        return this;
    }

    public String title() {
        return title;
    }

    public Status status() {
        return status;
    }

    public Map<String, String> details() {
        return details;
    }

    public String errorText() {
        return error;
    }

    public String solutionText() {
        return solution;
    }
}
