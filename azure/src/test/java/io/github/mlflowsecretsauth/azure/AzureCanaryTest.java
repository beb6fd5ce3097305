package io.github.mlflowsecretsauth.azure;

import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_ID;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_SECRET;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every Azure path that logs or throws, with canaries (the secret's token and password, the client
 * secret), with this project, the Azure SDK and MSAL logging at DEBUG and the SDK's HTTP body logging asked for
 * ({@code AZURE_HTTP_LOG_DETAIL_LEVEL}), and checks that no canary appears
 * in any log line, exception message, toString() or describe().
 */
class AzureCanaryTest {
    private static final String TOKEN = "CANARYazureTok3nVb8Rw2";
    private static final String PASSWORD = "CANARYazurePassw0rdKd5";
    private static final String HTTP_LOG = "AZURE_HTTP_LOG_DETAIL_LEVEL";

    @Test
    void noCanaryInLogsExceptionsDescribeOrToString() {
        List<String> seen = new ArrayList<>();
        Engines engines = new Engines();
        List<Logger> raised = List.of((Logger) LoggerFactory.getLogger("com.azure"), (Logger) LoggerFactory.getLogger("com.microsoft.aad"));
        List<Level> before = raised.stream().map(Logger::getLevel).toList();
        raised.forEach(l -> l.setLevel(Level.DEBUG));
        // A user's setting that would make the SDK log request and response bodies (the secret, access tokens).
        String httpLogBefore = System.getProperty(HTTP_LOG);
        System.setProperty(HTTP_LOG, "BODY_AND_HEADERS");
        try (LogCapture logs = new LogCapture(); AzureKeyVaultServer kv = AzureFixtures.server()) {
            kv.setSecret(SECRET, "{\"token\":\"" + TOKEN + "\"}");
            kv.setSecret("basic", "{\"username\":\"u\",\"password\":\"" + PASSWORD + "\"}");
            kv.setSecret("evil", "{\"token\":\"" + TOKEN + "\\r\\nX-Evil: 1\"}");
            kv.setSecret("denied", TOKEN);
            kv.deny(CLIENT_ID, "denied", true);
            kv.setSecret("disabled", TOKEN);
            kv.setEnabled("disabled", null, false);
            Map<String, String> base = AzureFixtures.settings(kv);
            Consumer<Map<String, String>> run = overrides -> {
                Map<String, String> s = new HashMap<>(base);
                s.putAll(overrides);
                s.values().removeIf(String::isEmpty);
                try (SecretsAuth auth = engines.engine(s)) {
                    seen.add(auth.toString());
                    seen.add(auth.providers().toString());
                    seen.add(auth.chain().toString());
                    auth.chain().forEach(b -> seen.add(b.describe().toString()));
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
            run.accept(Map.of("MLFLOW_AZURE_AUTH_MODE", "basic", "MLFLOW_AZURE_SECRET_NAME", "basic"));
            run.accept(Map.of("MLFLOW_AZURE_SECRET_NAME", "basic")); // bearer with user/pass: malformed
            run.accept(Map.of("MLFLOW_AZURE_SECRET_NAME", "evil"));
            run.accept(Map.of("MLFLOW_AZURE_SECRET_NAME", "denied"));
            run.accept(Map.of("MLFLOW_AZURE_SECRET_NAME", "disabled"));
            run.accept(Map.of("MLFLOW_AZURE_SECRET_NAME", "missing"));
            run.accept(Map.of("AZURE_CLIENT_SECRET", "CANARYwrongClientSecret"));
            run.accept(Map.of("AZURE_TENANT_ID", "")); // half a service principal
            run.accept(Map.of("AZURE_KEY_VAULT_URL", "http://CANARYhost"));
            run.accept(Map.of("MLFLOW_AZURE_SECRET_NAME", "CANARY_" + TOKEN));
            kv.throttleNext(10, 1);
            run.accept(Map.of());
            seen.addAll(logs.lines());
        } finally {
            if (httpLogBefore == null) {
                System.clearProperty(HTTP_LOG);
            } else {
                System.setProperty(HTTP_LOG, httpLogBefore);
            }
            for (int i = 0; i < raised.size(); i++) {
                raised.get(i).setLevel(before.get(i));
            }
        }
        assertThat(seen).as("the paths ran and produced output").hasSizeGreaterThan(20);
        assertThat(seen).noneMatch(line -> line.contains("CANARY"));
        assertThat(String.join("\n", seen)).doesNotContain(CLIENT_SECRET).doesNotContain(TOKEN).doesNotContain(PASSWORD);
    }
}
