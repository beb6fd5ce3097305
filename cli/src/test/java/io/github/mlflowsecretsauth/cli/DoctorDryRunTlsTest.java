package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code doctor --dry-run} uses the proxy's transport: a real nginx with a private CA and mutual TLS passes
 * with MLFLOW_TRACKING_CA_BUNDLE_PATH and the client certificate set, and fails with the proxy's own one-line
 * reasons without them (issue 14.8).
 */
class DoctorDryRunTlsTest {
    private static final String TOKEN = "dry-run-tls-token-0123456789";
    private static CertificateAuthority ca;
    private static IssuedCertificate client;
    private static VaultServer vault;
    private static MlflowServer mlflow;
    private static Nginx nginx;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
        ca = CertificateAuthority.create("dry-run CA");
        IssuedCertificate server = ca.serverCertificate();
        client = ca.clientCertificate("dry-run-job");
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        mlflow = MlflowServer.builder().start();
        nginx = Nginx.builder().upstream(mlflow.uri()).tls(server.certificatePem(), server.privateKeyPem())
                .requireClientCertificate(ca.certificatePem()).bearerTokens(TOKEN).start();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
            mlflow.close();
            vault.close();
            ca.close();
        }
    }

    private Map<String, String> env(boolean ca_, boolean cert) {
        Map<String, String> e = new HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault",
                "VAULT_ADDR", vault.address().toString(), "VAULT_TOKEN", vault.rootToken(),
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth", "MLFLOW_VAULT_AUTH_MODE", "bearer",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
        if (ca_) {
            e.put("MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString());
        }
        if (cert) {
            e.put("MLFLOW_TRACKING_CLIENT_CERT_PATH", client.certificatePem().toString());
            e.put("MLFLOW_TRACKING_CLIENT_KEY_PATH", client.privateKeyPem().toString());
        }
        return e;
    }

    @Test
    void withTheCaBundleAndClientCertificate_theDryRunPasses() {
        CliRunner.Result r = CliRunner.run(env(true, true), dir, "doctor", "--dry-run", nginx.uri().toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Response: 200");
        assertThat(r.all()).doesNotContain(TOKEN);
    }

    @Test
    void withoutTheCaBundle_itSaysWhichVariableToSet() {
        CliRunner.Result r = CliRunner.run(env(false, true), dir, "doctor", "--dry-run", nginx.uri().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("not trusted").contains("MLFLOW_TRACKING_CA_BUNDLE_PATH");
    }

    @Test
    void withoutTheClientCertificate_itSaysMutualTlsIsRequired() {
        CliRunner.Result r = CliRunner.run(env(true, false), dir, "doctor", "--dry-run", nginx.uri().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsIgnoringCase("client certificate").contains("MLFLOW_TRACKING_CLIENT_CERT_PATH");
        assertThat(r.all()).doesNotContain(TOKEN);
    }
}
