package io.github.mlflowsecretsauth.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cli.CliContext;
import io.github.mlflowsecretsauth.cli.Main;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4b: the malformed-configuration corpus ({@code corpus/config.jsonl}), through the engine
 * ({@code SecretsAuth.builder().settings(...).build()}, then a fetch) and through the CLI in-process:
 * a {@link ConfigurationException} naming the setting, and at the command line one line on stderr,
 * no stack trace, the expected exit code, and never the canary.
 */
class MalformedConfigurationTest {
    private static final AtomicInteger ENGINE = new AtomicInteger();
    private static final AtomicInteger CLI = new AtomicInteger();

    @TempDir
    static Path workDir;

    @AfterAll
    static void report() {
        Results.of("hostile-input/malformed-configuration").put("cases", Corpus.load("config.jsonl").size())
                .put("engineRefusals", ENGINE.get()).put("cliRefusals", CLI.get()).record();
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<JsonNode> cases = Corpus.load("config.jsonl");
        assertThat(cases).hasSizeGreaterThan(50);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c)));
    }

    private static void run(JsonNode c) {
        String id = c.get("id").asText();
        Map<String, String> settings = new HashMap<>();
        c.get("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        List<String> contains = Corpus.strings(c.get("contains"));
        List<String> cli = Corpus.strings(c.get("cli"));
        boolean engineCase = c.path("engine").asBoolean(true);
        if (engineCase) {
            SecretsAuthException error = null;
            try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).build()) {
                auth.currentSnapshot(); // a setting only checked when used must fail here at the latest
            } catch (SecretsAuthException e) {
                error = e;
            } catch (RuntimeException e) {
                throw new AssertionError(id + ": not a SecretsAuthException: " + e.getClass().getName());
            }
            assertThat(error).as("%s: accepted", id).isInstanceOf(ConfigurationException.class);
            String msg = error.getMessage();
            assertThat(msg).as(id).contains(contains);
            assertThat(Canary.in(msg)).as("%s: the canary is in the message", id).isFalse();
            assertThat(msg).as(id).doesNotContain("\n", "\r");
            ENGINE.incrementAndGet();
        }
        if (!cli.isEmpty()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(cli.toArray(String[]::new), new CliContext(settings, new Properties(), workDir,
                    new PrintWriter(out), new PrintWriter(err)));
            String all = out + err.toString();
            assertThat(exit).as("%s: exit code (stderr: %s)", id, Canary.in(all) ? "<has canary>" : err).isEqualTo(c.get("exit").asInt());
            List<String> lines = err.toString().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(id).isNotEmpty();
            assertThat(lines.size()).as("%s: stderr lines", id).isLessThanOrEqualTo(exit == 2 ? 2 : 1);
            assertThat(lines.get(0)).as(id).startsWith("mlflow-secrets-auth: ").contains(contains);
            assertThat(all).as(id).doesNotContain("\tat ", "Exception in thread", "Caused by:");
            assertThat(Canary.in(all)).as("%s: the canary is in the CLI output", id).isFalse();
            CLI.incrementAndGet();
        }
    }
}
