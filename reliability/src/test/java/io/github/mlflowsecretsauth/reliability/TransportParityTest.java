package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cli.CliContext;
import io.github.mlflowsecretsauth.cli.Main;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that talks to MLflow uses the same transport settings: a real nginx with a private CA and mutual TLS
 * in front of the testkit MLflow server, and for each setting left out (none, the CA bundle, the client certificate)
 * {@code doctor --dry-run} and the proxy agree: both pass, or both fail (the dry run with one line naming the setting
 * to fix, the proxy's calls with no 200). Neither prints the canary-carrying credential.
 */
class TransportParityTest {
    private static CertificateAuthority ca;
    private static IssuedCertificate client;
    private static VaultServer vault;
    private static MlflowServer mlflow;
    private static Nginx nginx;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
        ca = CertificateAuthority.create("transport-parity CA");
        IssuedCertificate server = ca.serverCertificate();
        client = ca.clientCertificate("transport-parity-job");
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().start();
        nginx = Nginx.builder().upstream(mlflow.uri()).tls(server.certificatePem(), server.privateKeyPem())
                .requireClientCertificate(ca.certificatePem()).bearerTokens(Canary.token(0)).start();
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

    private static Map<String, String> settings(boolean caBundle, boolean clientCert) {
        Map<String, String> s = Stack.vaultSettings(vault.address(), vault.rootToken());
        s.put("MLFLOW_VAULT_AUTH_MODE", "bearer");
        s.put("MLFLOW_TRACKING_URI", nginx.uri().toString());
        if (caBundle) {
            s.put("MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString());
        }
        if (clientCert) {
            s.put("MLFLOW_TRACKING_CLIENT_CERT_PATH", client.certificatePem().toString());
            s.put("MLFLOW_TRACKING_CLIENT_KEY_PATH", client.privateKeyPem().toString());
        }
        return s;
    }

    @ParameterizedTest(name = "CA bundle {0}, client certificate {1}")
    @CsvSource({"true, true, ", "false, true, MLFLOW_TRACKING_CA_BUNDLE_PATH", "true, false, MLFLOW_TRACKING_CLIENT_CERT_PATH"})
    void doctorDryRunAndTheProxy_agreeOnEveryTransportSetting(boolean caBundle, boolean clientCert, String missing,
                                                               @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int calls = Scale.current().name().equals("full") ? 200 : 20;
        Map<String, String> s = settings(caBundle, clientCert);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int doctorExit = Main.run(new String[] {"doctor", "--dry-run", nginx.uri().toString()},
                new CliContext(s, new Properties(), dir, new PrintWriter(out), new PrintWriter(err)));
        String doctor = out + err.toString();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int ok = 0;
        String firstRefusal = null;
        try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
             AuthProxy proxy = AuthProxy.builder(auth, nginx.uri()).start()) {
            for (int i = 0; i < calls; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(proxy.uri().resolve(
                        "/api/2.0/mlflow/experiments/search?max_results=1")).build(), HttpResponse.BodyHandlers.ofString());
                ok += r.statusCode() == 200 ? 1 : 0;
                if (r.statusCode() != 200 && firstRefusal == null) {
                    firstRefusal = r.statusCode() + " " + r.body();
                }
                assertThat(Canary.in(r.body())).isFalse();
            }
        }
        boolean proxyPasses = ok == calls;
        Results.of("transport-parity/ca-" + caBundle + "/cert-" + clientCert).put("doctorExit", doctorExit)
                .put("proxyCalls", calls).put("proxyCallsOk", ok).put("agree", (doctorExit == 0) == proxyPasses).record();
        assertThat(Canary.in(doctor)).as("the dry run's output carries no credential").isFalse();
        if (missing == null) {
            assertThat(doctorExit).as(doctor).isZero();
            assertThat(ok).as(firstRefusal).isEqualTo(calls);
        } else {
            assertThat(doctorExit).as(doctor).isEqualTo(1);
            assertThat(doctor).contains(missing);
            assertThat(ok).as("the proxy fails the same way: " + firstRefusal).isZero();
        }
    }
}
