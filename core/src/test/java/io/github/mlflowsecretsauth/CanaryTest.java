package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.redact.Redactor;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every engine path that logs or throws, with canary secrets, at DEBUG level, and checks that no
 * canary appears in any log line, exception message or toString().
 */
class CanaryTest {
    private static final String TOKEN = "CANARYtok3nXq7Zp4Lm9Rv2Wd8Yh5Jk1";
    private static final String PASSWORD = "CANARYpassw0rdNb6Gt3Fs";
    private static final String VAULT_TOKEN = "hvs.CANARYvaultRootT0ken77";
    private static final String SECRET_ID = "CANARYsecretIdAa11Bb22";
    private static final URI MLFLOW = URI.create("http://mlflow.company.com/");

    @Test
    void noCanaryInLogsExceptionsOrToString(@TempDir Path dir) throws Exception {
        List<String> seen = new ArrayList<>();
        Engines engines = new Engines();
        try (LogCapture logs = new LogCapture();
             VaultServer vault = VaultServer.builder().rootToken(VAULT_TOKEN).clock(engines.clock).start()) {
            vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
            vault.putSecret("secret/mlflow/basic", Map.of("username", "u", "password", PASSWORD));
            vault.putSecret("secret/mlflow/evil", Map.of("token", TOKEN + "\r\nX-Evil: 1"));
            vault.putSecret("secret/mlflow/nonascii", Map.of("token", TOKEN + "é"));
            vault.addAppRole("r", "role", SECRET_ID, TokenSpec.builder().ttl(Duration.ofMinutes(1)).build());
            Map<String, String> base = new HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR",
                    vault.address().toString(), "VAULT_TOKEN", VAULT_TOKEN, "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth"));
            Consumer<Map<String, String>> run = overrides -> {
                Map<String, String> s = new HashMap<>(base);
                s.putAll(overrides);
                s.values().removeIf(String::isEmpty);
                try (SecretsAuth auth = engines.engine(s)) {
                    seen.add(auth.toString());
                    seen.add(auth.providers().toString());
                    HeaderSnapshot snap = auth.snapshotFor(MLFLOW).orElseThrow();
                    seen.add(snap.toString());
                    auth.reportRejected(snap);
                    engines.scheduler.advance(Duration.ofMinutes(10));
                    auth.headersFor(MLFLOW);
                    seen.add(auth.cacheStatus().toString());
                } catch (RuntimeException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        seen.add(t.toString());
                    }
                }
            };
            run.accept(Map.of());
            run.accept(Map.of("MLFLOW_VAULT_AUTH_MODE", "basic", "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/basic"));
            run.accept(Map.of("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/basic")); // bearer with user/pass
            run.accept(Map.of("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/evil"));
            run.accept(Map.of("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/nonascii"));
            run.accept(Map.of("MLFLOW_VAULT_AUTH_MODE", "raw", "MLFLOW_AUTH_HEADER_NAME", "X-Api-Key"));
            run.accept(Map.of("VAULT_TOKEN", VAULT_TOKEN + "x"));
            run.accept(Map.of("VAULT_TOKEN", "", "VAULT_ROLE_ID", "role", "VAULT_SECRET_ID", SECRET_ID));
            run.accept(Map.of("VAULT_TOKEN", "", "VAULT_ROLE_ID", "role", "VAULT_SECRET_ID", SECRET_ID + "bad"));
            run.accept(Map.of("MLFLOW_VAULT_TTL_SEC", TOKEN)); // a secret pasted into the wrong variable is still echoed... see below
            Path f = dir.resolve("tok");
            Files.writeString(f, "{\"token\": \"" + TOKEN + "\"");
            run.accept(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "file", "MLFLOW_FILE_SECRET_PATH", f.toString()));
            Files.writeString(f, TOKEN.substring(0, 5) + ":" + PASSWORD);
            run.accept(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "file", "MLFLOW_FILE_SECRET_PATH", f.toString(), "MLFLOW_FILE_AUTH_MODE", "basic"));
            vault.setAvailable(false);
            run.accept(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault,env", "MLFLOW_TRACKING_TOKEN", TOKEN));
            seen.addAll(logs.lines());
        }
        String basic = Base64.getEncoder().encodeToString(("u:" + PASSWORD).getBytes());
        List<String> canaries = List.of(TOKEN, PASSWORD, VAULT_TOKEN, SECRET_ID, basic);
        // Offending lines are shown scrubbed, so a failing run does not put the canary into the test report.
        List<String> leaks = seen.stream().filter(l -> canaries.stream().anyMatch(l::contains))
                .map(l -> Redactor.scrub(l, canaries)).toList();
        assertThat(seen).anyMatch(l -> l.contains("CANA"));
        assertThat(leaks).isEmpty();
    }
}
