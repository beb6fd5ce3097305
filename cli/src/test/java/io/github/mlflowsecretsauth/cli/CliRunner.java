package io.github.mlflowsecretsauth.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Runs the CLI in-process with a given environment and working directory, capturing its output. */
final class CliRunner {
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CliRunner() {
    }

    static Result run(Map<String, String> env, Path workDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext ctx = new CliContext(env, new Properties(), workDir, new PrintWriter(out), new PrintWriter(err));
        int code = Main.run(args, ctx);
        return new Result(code, out.toString(), err.toString());
    }
}
