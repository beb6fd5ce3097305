package io.github.mlflowsecretsauth.aws.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.provider.vault.VaultProviderFactory;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.vault.RecordedRequest;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A testkit Vault on a fake clock with one secret and an AWS account of three principals (a project IAM user, a
 * global one, an assumed role with a session token); vault providers built from explicit settings only, each test
 * giving static keys, so no developer's AWS_* or ~/.aws is used.
 */
final class VaultAwsFixture implements AutoCloseable {
    static final String SECRET = "CANARY-vault-aws-secret-9d1e";
    static final AwsPrincipal PROJECT = AwsPrincipal.user("mlflow", "AKIAVAULTPROJECT0001", "CANARY-project-secret-key-1a2b");
    static final AwsPrincipal GLOBAL = AwsPrincipal.user("main", "AKIAVAULTGLOBAL00002", "CANARY-global-secret-key-3c4d");
    static final AwsPrincipal ROLE = AwsPrincipal.assumedRole("mlflow-runner", "ASIAVAULTROLE0000003",
            "CANARY-role-secret-key-5e6f", "CANARY-role-session-token-7a8b");
    static final List<AwsPrincipal> ACCOUNT = List.of(PROJECT, GLOBAL, ROLE);
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeClock clock = new FakeClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final VaultServer vault;

    VaultAwsFixture() {
        vault = VaultServer.builder().clock(clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", SECRET));
    }

    /** Static keys of {@code p} under the project (MLFLOW_AWS_*) names. */
    static Map<String, String> projectKeys(AwsPrincipal p) {
        Map<String, String> s = new HashMap<>(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", p.accessKeyId(),
                "MLFLOW_AWS_SECRET_ACCESS_KEY", p.secretAccessKey()));
        p.sessionToken().ifPresent(t -> s.put("MLFLOW_AWS_SESSION_TOKEN", t));
        return s;
    }

    Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", vault.address().toString(), "MLFLOW_VAULT_SECRET_PATH",
                "secret/mlflow/auth", "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "5", "VAULT_AUTH_METHOD", "aws",
                "VAULT_AUTH_ROLE", "mlflow"));
        s.putAll(extra);
        return s;
    }

    SecretProvider provider(Map<String, String> extra) {
        return new VaultProviderFactory().create(new ProviderContext(Settings.builder().setAll(settings(extra)).build(), clock,
                scheduler, () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    static String token(SecretProvider p) {
        return p.fetch().fields().orElseThrow().get("token").toString();
    }

    /** The login bodies Vault received at {@code auth/<mount>/login}, oldest first. */
    List<JsonNode> logins(String mount) {
        return vault.requests().stream().filter(r -> r.path().equals("/v1/auth/" + mount + "/login"))
                .map(RecordedRequest::body).map(VaultAwsFixture::json).toList();
    }

    /** A login body's decoded iam_request_headers. */
    static JsonNode signedHeaders(JsonNode login) {
        return json(decode(login.path("iam_request_headers").asText()));
    }

    static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        vault.close();
    }
}
