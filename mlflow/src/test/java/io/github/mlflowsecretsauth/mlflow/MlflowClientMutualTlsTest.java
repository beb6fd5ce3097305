package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RunSnapshot;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority.KeyType;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The official MLflow Java client through {@link MlflowSecretsAuth}, against a real nginx that
 * requires a client certificate signed by a CA the test generates (mutual TLS) plus Basic or Bearer,
 * in front of the testkit MLflow server; the credential comes from the testkit Vault.
 */
class MlflowClientMutualTlsTest {
    private static final String USER = "mlflow-user";
    private static final String PASSWORD = "secure-password-123";
    private static final String TOKEN = "mlflow-api-key-demo-567890abcdef";

    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;
    private static IssuedCertificate serverCert;
    private static IssuedCertificate clientCert;

    private final Engines engines = new Engines();
    private VaultServer vault;
    private MlflowServer mlflow;
    private Nginx nginx;
    private SecretsAuth engine;

    @BeforeAll
    static void certificates() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
        ca = CertificateAuthority.create("MLflow mTLS CA");
        otherCa = CertificateAuthority.create("rogue CA");
        serverCert = ca.serverCertificate();
        clientCert = ca.clientCertificate("training-job", KeyType.RSA);
    }

    @AfterAll
    static void deleteCertificates() {
        if (ca != null) {
            ca.close();
            otherCa.close();
        }
    }

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        mlflow = MlflowServer.builder().start();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        mlflow.close();
        vault.close();
    }

    private void bearerStack() {
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        nginx = Nginx.builder().upstream(mlflow.uri()).tls(serverCert.certificatePem(), serverCert.privateKeyPem())
                .requireClientCertificate(ca.certificatePem()).bearerTokens(TOKEN).start();
    }

    private SecretsAuth engine(String mode, Map<String, String> tls) {
        Map<String, String> s = new HashMap<>(tls);
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_VAULT_AUTH_MODE", mode);
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        engine = engines.engine(s);
        return engine;
    }

    private static Map<String, String> mtls(IssuedCertificate cert) {
        return Map.of("MLFLOW_TRACKING_CLIENT_CERT_PATH", cert.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", cert.traditionalPrivateKeyPem().toString(),
                "MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString());
    }

    private static String logRun(MlflowClient client, String experiment) {
        String runId = client.createRun(client.createExperiment(experiment)).getRunId();
        client.logParam(runId, "alpha", "0.1");
        client.logMetric(runId, "rmse", 0.71);
        client.setTerminated(runId);
        return runId;
    }

    @Test
    void theRightCertificate_andBearerFromVault_logAFullRun() {
        bearerStack();
        engine("bearer", mtls(clientCert));

        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString(), true)) {
            RunSnapshot run = mlflow.run(logRun(client, "mtls-bearer")).orElseThrow();

            assertThat(run.params()).containsEntry("alpha", "0.1");
            assertThat(run.status()).isEqualTo("FINISHED");
        }
        assertThat(mlflow.calls()).allSatisfy(c -> {
            assertThat(c.header("Authorization")).contains("Bearer " + TOKEN);
            assertThat(c.header(Nginx.clientSubjectHeader()).orElseThrow()).contains("CN=training-job");
        });
    }

    @Test
    void aPkcs12Bundle_andBasicFromVault_logAFullRun() {
        vault.putSecret("secret/mlflow/auth", Map.of("username", USER, "password", PASSWORD));
        nginx = Nginx.builder().upstream(mlflow.uri()).tls(serverCert.certificatePem(), serverCert.privateKeyPem())
                .requireClientCertificate(ca.certificatePem()).basicAuth(USER, PASSWORD).start();
        IssuedCertificate ec = ca.clientCertificate("ec-job", KeyType.EC);
        engine("basic", Map.of("MLFLOW_TRACKING_CLIENT_CERT_PATH", ec.pkcs12("bundle-pass").toString(),
                "MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "bundle-pass",
                "MLFLOW_TRACKING_SERVER_CERT_PATH", ca.certificatePem().toString()));

        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            assertThat(mlflow.run(logRun(client, "mtls-basic")).orElseThrow().metricHistory("rmse")).hasSize(1);
        }
        assertThat(mlflow.calls()).allSatisfy(c -> assertThat(c.header("Authorization").orElseThrow()).startsWith("Basic "));
    }

    @Test
    void noClientCertificate_theCallFails_sayingOneIsRequired() {
        bearerStack();
        engine("bearer", Map.of("MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString()));

        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            assertThatThrownBy(() -> client.createExperiment("no-cert"))
                    .hasMessageContaining("requires a client certificate (mutual TLS) and none is configured: set "
                            + "MLFLOW_TRACKING_CLIENT_CERT_PATH and MLFLOW_TRACKING_CLIENT_KEY_PATH")
                    .hasMessageNotContaining(TOKEN);
        }
        assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString(), true))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("the MLflow server at 127.0.0.1:" + nginx.port() + " requires a client certificate");
        assertThat(mlflow.experimentByName("no-cert")).isEmpty();
    }

    @Test
    void aCertificateOfAnotherCa_theCallFails_sayingItWasRejected() {
        bearerStack();
        engine("bearer", mtls(otherCa.clientCertificate("impostor", KeyType.EC)));

        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            assertThatThrownBy(() -> client.createExperiment("rogue"))
                    .hasMessageContaining("rejected the client certificate")
                    .hasMessageContaining("issued by O=mlflow-secrets-auth testkit,CN=rogue CA")
                    .hasMessageContaining("CN=MLflow mTLS CA");
        }
        assertThat(mlflow.experimentByName("rogue")).isEmpty();
    }

    @Test
    void anExpiredCertificate_failsAtConstruction_namingTheVariable() {
        bearerStack();
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        engine("bearer", mtls(ca.clientCertificate("stale", KeyType.RSA, from, from.plus(Duration.ofDays(7)))));

        assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PATH: the client certificate expired on 2024-01-08T00:00:00Z");
        assertThat(mlflow.calls()).isEmpty();
    }

    @Test
    void withoutTheCaBundle_theServerIsNotTrusted_andValidationSaysWhichSettingToSet() {
        bearerStack();
        engine("bearer", Map.of("MLFLOW_TRACKING_CLIENT_CERT_PATH", clientCert.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", clientCert.privateKeyPem().toString()));

        assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString(), true))
                .isInstanceOf(io.github.mlflowsecretsauth.error.BackendUnavailableException.class)
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + nginx.port() + " failed: the server's certificate is not trusted")
                .hasMessageContaining("set MLFLOW_TRACKING_CA_BUNDLE_PATH");
    }

    @Test
    void insecureMode_works_withoutAnyCaBundle() {
        bearerStack();
        engine("bearer", Map.of("MLFLOW_TRACKING_CLIENT_CERT_PATH", clientCert.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", clientCert.privateKeyPem().toString(), "MLFLOW_TRACKING_INSECURE_TLS", "true"));

        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString(), true)) {
            assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
        }
    }
}
