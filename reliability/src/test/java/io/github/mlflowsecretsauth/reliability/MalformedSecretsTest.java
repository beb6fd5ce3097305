package io.github.mlflowsecretsauth.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Scenario 4a: the malformed-secret corpus ({@code corpus/secrets.jsonl}) through the real file, Vault
 * (testkit server) and environment providers. Each case either renders exactly the expected header, or
 * fails with a {@link SecretsAuthException} whose one-line message holds the expected words and never
 * the secret (every case's secret carries the canary).
 */
class MalformedSecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger HEADERS = new AtomicInteger();
    private static final AtomicInteger ERRORS = new AtomicInteger();
    private static final Map<String, AtomicInteger> BY_PROVIDER = new LinkedHashMap<>();
    private static VaultServer vault;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startVault() {
        vault = VaultServer.builder().start();
    }

    @AfterAll
    static void stop() {
        vault.close();
        Results.Counts c = Results.of("hostile-input/malformed-secrets").put("cases", HEADERS.get() + ERRORS.get())
                .put("renderedAsExpected", HEADERS.get()).put("refusedWithExpectedError", ERRORS.get());
        BY_PROVIDER.forEach((k, v) -> c.put(k, v.get()));
        c.record();
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<JsonNode> cases = Corpus.load("secrets.jsonl");
        assertThat(cases).hasSizeGreaterThan(100);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c)));
    }

    private static String generated(JsonNode g) {
        String unit = g.get("unit").asText();
        int bytes = g.get("bytes").asInt();
        StringBuilder sb = new StringBuilder(bytes + unit.length());
        while (sb.length() < bytes) {
            sb.append(unit);
        }
        sb.setLength(bytes);
        return g.path("json").asBoolean(false) ? "{\"token\":\"" + sb + "\"}" : sb.toString();
    }

    private static void run(JsonNode c) throws Exception {
        String id = c.get("id").asText();
        String provider = c.get("provider").asText();
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", provider);
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        String prefix = provider.toUpperCase(java.util.Locale.ROOT);
        if (c.hasNonNull("mode")) {
            s.put("MLFLOW_" + prefix + "_AUTH_MODE", c.get("mode").asText());
        }
        switch (provider) {
            case "file" -> {
                Path file = dir.resolve(id + ".secret");
                if (c.path("directory").asBoolean(false)) {
                    Files.createDirectories(file);
                } else if (c.path("missing").asBoolean(false)) {
                    file = dir.resolve("absent-" + id);
                } else if (c.has("generate")) {
                    Files.writeString(file, generated(c.get("generate")));
                } else if (c.has("contentBase64")) {
                    Files.write(file, Base64.getDecoder().decode(c.get("contentBase64").asText()));
                } else {
                    Files.writeString(file, c.get("content").asText());
                }
                s.put("MLFLOW_FILE_SECRET_PATH", file.toString());
            }
            case "vault" -> {
                String path = "secret/corpus/" + id;
                JsonNode data = c.get("vaultData");
                if (data != null && !data.isNull()) {
                    Map<String, Object> map = JSON.convertValue(data, Map.class);
                    if (c.has("generate")) {
                        map.put("token", generated(c.get("generate")));
                    }
                    vault.putSecret(path, map);
                }
                s.put("VAULT_ADDR", vault.address().toString());
                s.put("VAULT_TOKEN", vault.rootToken());
                s.put("MLFLOW_VAULT_SECRET_PATH", path);
            }
            case "env" -> c.get("env").fields().forEachRemaining(e -> s.put(e.getKey(), e.getValue().asText()));
            default -> fail("unknown provider " + provider);
        }
        Engines engines = new Engines();
        String expect = c.get("expect").asText();
        String header = null;
        SecretsAuthException error = null;
        try (SecretsAuth auth = engines.engine(s)) {
            header = auth.currentSnapshot().headerValue();
            assertThat(auth.headersFor(URI.create("http://127.0.0.1:5000/api"))).containsEntry("Authorization", header);
        } catch (SecretsAuthException e) {
            error = e;
        } catch (RuntimeException e) {
            throw new AssertionError(id + ": not a SecretsAuthException: " + e.getClass().getName());
        }
        BY_PROVIDER.computeIfAbsent(provider, k -> new AtomicInteger()).incrementAndGet();
        if (expect.equals("header")) {
            assertThat(error).as("%s: unexpected error %s", id, error == null ? "" : error.getMessage()).isNull();
            assertThat(header).as(id).isEqualTo(c.get("header").asText());
            HEADERS.incrementAndGet();
        } else {
            assertThat(error).as("%s: expected an error, got a header", id).isNotNull();
            String msg = error.getMessage();
            assertThat(msg).as(id).contains(Corpus.strings(c.get("contains")));
            assertThat(Canary.in(msg)).as("%s: the secret is in the message", id).isFalse();
            assertThat(msg).as(id + ": one line").doesNotContain("\n", "\r");
            assertThat(msg.length()).as(id).isLessThan(1000);
            ERRORS.incrementAndGet();
        }
    }
}
