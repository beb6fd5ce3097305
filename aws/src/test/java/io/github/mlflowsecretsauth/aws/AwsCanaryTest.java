package io.github.mlflowsecretsauth.aws;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.SECRET;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.TEMPORARY;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.redact.Redactor;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testkit.aws.AwsFault;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every AWS path that logs or throws, with canary secrets (the secret's token and password, the
 * secret access keys, the session token), with this project and the AWS SDK logging at DEBUG, and
 * checks that no canary appears in any log line, exception message or toString().
 */
class AwsCanaryTest {
    private static final String TOKEN = "CANARYawsTok3nXq7Zp4Lm9";
    private static final String PASSWORD = "CANARYawsPassw0rdNb6Gt";

    @Test
    void noCanaryInLogsExceptionsOrToString() {
        List<String> seen = new ArrayList<>();
        Engines engines = new Engines();
        Logger sdk = (Logger) LoggerFactory.getLogger("software.amazon.awssdk");
        Level sdkLevel = sdk.getLevel();
        sdk.setLevel(Level.DEBUG);
        // Known SDK behaviour, outside this project's control: the SigV4 signer logs the canonical
        // request at DEBUG, and that includes the x-amz-security-token header. Applications must keep
        // this logger at INFO or above (the CLI never raises SDK loggers); everything else may be DEBUG.
        Logger signer = (Logger) LoggerFactory.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer");
        Level signerLevel = signer.getLevel();
        signer.setLevel(Level.INFO);
        try (LogCapture logs = new LogCapture(); AwsServer aws = AwsFixtures.server()) {
            aws.createSecret(SECRET, "{\"token\":\"" + TOKEN + "\"}");
            aws.createSecret("basic", "{\"username\":\"u\",\"password\":\"" + PASSWORD + "\"}");
            aws.createSecret("evil", "{\"token\":\"" + TOKEN + "\\r\\nX-Evil: 1\"}");
            aws.createBinarySecret("binary", TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            aws.createSecret("denied", TOKEN);
            aws.deny(PROJECT.accessKeyId(), "denied", true);
            aws.createSecret("kms", TOKEN);
            aws.failDecryption("kms", true);
            Map<String, String> base = AwsFixtures.settingsWithGlobalKeys(aws);
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
                } catch (RuntimeException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        seen.add(t.toString());
                    }
                }
            };
            run.accept(Map.of());
            run.accept(Map.of("MLFLOW_AWS_AUTH_MODE", "basic", "MLFLOW_AWS_SECRET_ID", "basic"));
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", "basic")); // bearer with user/pass: malformed
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", "evil"));
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", "binary"));
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", "denied"));
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", "kms"));
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", "missing"));
            run.accept(Map.of("MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT.secretAccessKey() + "x"));
            run.accept(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000001"));
            run.accept(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "", "MLFLOW_AWS_SECRET_ACCESS_KEY", ""));
            run.accept(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", TEMPORARY.accessKeyId(), "MLFLOW_AWS_SECRET_ACCESS_KEY",
                    TEMPORARY.secretAccessKey(), "MLFLOW_AWS_SESSION_TOKEN", AwsFixtures.SESSION_TOKEN));
            aws.expireSessionToken(TEMPORARY.accessKeyId());
            run.accept(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", TEMPORARY.accessKeyId(), "MLFLOW_AWS_SECRET_ACCESS_KEY",
                    TEMPORARY.secretAccessKey(), "MLFLOW_AWS_SESSION_TOKEN", AwsFixtures.SESSION_TOKEN));
            run.accept(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "")); // half a key pair
            run.accept(Map.of("MLFLOW_AWS_SECRET_ID", TOKEN + " pasted")); // a secret in the wrong variable
            run.accept(Map.of("MLFLOW_AWS_SECRET_VERSION", PASSWORD + " x"));
            run.accept(Map.of("AWS_REGION", "eu-west-1"));
            run.accept(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1"));
            aws.failNext(10, AwsFault.THROTTLING);
            run.accept(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "aws-secrets-manager,env", "MLFLOW_TRACKING_TOKEN", TOKEN));
            try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(Settings.builder().setAll(base).build())) {
                seen.add(c.toString());
                seen.add(c.describe().toString());
                seen.add(c.provider().toString());
            }
            seen.add(aws.calls().toString());
            seen.addAll(logs.lines());
        } finally {
            sdk.setLevel(sdkLevel);
            signer.setLevel(signerLevel);
        }
        String basic = Base64.getEncoder().encodeToString(("u:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> canaries = List.of(TOKEN, PASSWORD, basic, AwsFixtures.PROJECT_SECRET_KEY, AwsFixtures.GLOBAL_SECRET_KEY,
                AwsFixtures.SESSION_TOKEN, TEMPORARY.secretAccessKey());
        List<String> leaks = seen.stream().filter(l -> canaries.stream().anyMatch(l::contains))
                .map(l -> Redactor.scrub(l, canaries)).toList();
        assertThat(seen).anyMatch(l -> l.contains("software.amazon.awssdk")); // the SDK's own DEBUG lines were captured
        assertThat(seen).anyMatch(l -> l.contains("AccessDenied"));
        assertThat(leaks).isEmpty();
    }
}
