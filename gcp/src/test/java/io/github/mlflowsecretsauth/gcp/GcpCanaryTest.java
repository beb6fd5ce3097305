package io.github.mlflowsecretsauth.gcp;

import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.redact.Redactor;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testkit.gcp.GcpFault;
import io.github.mlflowsecretsauth.testkit.gcp.VersionState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every GCP path that logs or throws with canary secrets (the secret's token and password, the
 * service account's private key, the access tokens the testkit issues), with this project logging at
 * DEBUG, and checks that no canary appears in any log line, exception message, describe() or toString().
 */
class GcpCanaryTest {
    private static final String TOKEN = "CANARYgcpTok3nWq8Zr5";
    private static final String PASSWORD = "CANARYgcpPassw0rdKx2";

    @TempDir
    Path dir;

    @Test
    void noCanaryInLogsExceptionsDescribeOrToString() {
        List<String> seen = new ArrayList<>();
        Engines engines = new Engines();
        String privateKeyBody;
        try (LogCapture logs = new LogCapture(); GcpFixtures gcp = GcpFixtures.start(dir)) {
            privateKeyBody = gcp.reader.privateKeyPem().split("\n")[3];
            gcp.server.addVersion(SECRET, "{\"token\":\"" + TOKEN + "\"}");
            gcp.server.addVersion("basic", "{\"username\":\"u\",\"password\":\"" + PASSWORD + "\"}");
            gcp.server.addVersion("evil", "{\"token\":\"" + TOKEN + "\\r\\nX-Evil: 1\"}");
            gcp.server.addVersion("denied", TOKEN);
            gcp.server.deny(gcp.reader.email(), "denied", true);
            gcp.server.addVersion("disabled", TOKEN);
            gcp.server.setVersionState("disabled", 1, VersionState.DISABLED);
            Map<String, String> base = gcp.settings();
            Consumer<Map<String, String>> run = overrides -> {
                Map<String, String> s = new HashMap<>(base);
                s.putAll(overrides);
                s.values().removeIf(String::isEmpty);
                try (SecretsAuth auth = engines.engine(s)) {
                    seen.add(auth.toString());
                    seen.add(auth.providers().toString());
                    seen.add(auth.chain().toString());
                    HeaderSnapshot snap = auth.snapshotFor(MLFLOW).orElseThrow();
                    seen.add(snap.toString());
                    auth.reportRejected(snap);
                    engines.scheduler.advance(Duration.ofMinutes(10));
                    auth.headersFor(MLFLOW);
                    seen.add(auth.cacheStatus().toString());
                    seen.add(auth.providers().toString());
                } catch (RuntimeException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        seen.add(t.toString());
                    }
                }
            };
            String name = "MLFLOW_GCP_SECRET_NAME";
            run.accept(Map.of());
            run.accept(Map.of("MLFLOW_GCP_AUTH_MODE", "basic", name, "projects/mlflow-prod/secrets/basic"));
            run.accept(Map.of(name, "projects/mlflow-prod/secrets/basic")); // bearer with user/pass: malformed
            run.accept(Map.of(name, "projects/mlflow-prod/secrets/evil"));
            run.accept(Map.of(name, "projects/mlflow-prod/secrets/denied"));
            run.accept(Map.of(name, "projects/mlflow-prod/secrets/disabled"));
            run.accept(Map.of(name, "projects/mlflow-prod/secrets/missing"));
            run.accept(Map.of(name, TOKEN + " pasted"));
            run.accept(Map.of("MLFLOW_GCP_SECRET_VERSION", PASSWORD + " x"));
            gcp.server.corruptChecksums(true);
            run.accept(Map.of());
            gcp.server.corruptChecksums(false);
            gcp.server.failNext(10, GcpFault.RESOURCE_EXHAUSTED);
            run.accept(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager,env", "MLFLOW_TRACKING_TOKEN", TOKEN));
            gcp.server.failNext(0, GcpFault.UNAVAILABLE);
            gcp.server.expireIssuedTokens();
            run.accept(Map.of());
            gcp.server.tokenLifetime(Duration.ZERO);
            run.accept(Map.of());
            gcp.server.rotateKey(gcp.reader);
            run.accept(Map.of());
            GoogleIdentity id = GoogleIdentity.resolve(Settings.builder().setAll(base).build());
            seen.add(id.toString());
            seen.add(id.describe().toString());
            seen.add(gcp.server.calls().toString());
            seen.add(gcp.reader.toString());
            seen.addAll(logs.lines());
        }
        String basic = Base64.getEncoder().encodeToString(("u:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        List<String> canaries = List.of(TOKEN, PASSWORD, basic, privateKeyBody, "ya29.testkit-", "PRIVATE KEY");
        List<String> leaks = seen.stream().filter(l -> canaries.stream().anyMatch(l::contains))
                .map(l -> Redactor.scrub(l, canaries)).toList();
        assertThat(seen).anyMatch(l -> l.contains("PERMISSION_DENIED"));
        assertThat(seen).anyMatch(l -> l.contains("CRC32C"));
        assertThat(seen).anyMatch(l -> l.contains("invalid_grant"));
        assertThat(seen).anyMatch(l -> l.contains("DEBUG io.github.mlflowsecretsauth.gcp"));
        assertThat(leaks).isEmpty();
    }
}
