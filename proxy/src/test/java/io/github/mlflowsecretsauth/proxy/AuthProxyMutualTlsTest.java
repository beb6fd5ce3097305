package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
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

import javax.net.ssl.SSLHandshakeException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The proxy against a real nginx that demands a client certificate from a test CA (mutual TLS) and a
 * Bearer token, in front of the testkit MLflow server; the token comes from the testkit Vault.
 */
class AuthProxyMutualTlsTest {
    private static final String TOKEN = "mlflow-api-key-mtls-0123456789";
    private static final String SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1";

    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;
    private static IssuedCertificate server;
    private static IssuedCertificate client;

    private final Engines engines = new Engines();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private VaultServer vault;
    private MlflowServer mlflow;
    private Nginx nginx;
    private SecretsAuth auth;
    private AuthProxy proxy;

    @BeforeAll
    static void certificates() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
        ca = CertificateAuthority.create("mTLS test CA");
        otherCa = CertificateAuthority.create("some other CA");
        server = ca.serverCertificate();
        client = ca.clientCertificate("ml-training-job", KeyType.EC);
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
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        mlflow = MlflowServer.builder().start();
        nginx = Nginx.builder().upstream(mlflow.uri()).tls(server.certificatePem(), server.privateKeyPem())
                .requireClientCertificate(ca.certificatePem()).bearerTokens(TOKEN).start();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (auth != null) {
            auth.close();
        }
        nginx.close();
        mlflow.close();
        vault.close();
    }

    private Map<String, String> settings(String... tls) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_VAULT_AUTH_MODE", "bearer");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        for (int i = 0; i < tls.length; i += 2) {
            s.put(tls[i], tls[i + 1]);
        }
        return s;
    }

    private static String[] mtls(IssuedCertificate cert) {
        return new String[] {"MLFLOW_TRACKING_CLIENT_CERT_PATH", cert.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", cert.privateKeyPem().toString(),
                "MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString()};
    }

    private AuthProxy start(URI upstream, String... tls) {
        if (auth != null) {
            auth.close();
        }
        auth = engines.engine(settings(tls));
        proxy = AuthProxy.builder(auth, upstream).start();
        return proxy;
    }

    private HttpResponse<String> search() throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.uri().resolve(SEARCH)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRightCertificate_reachesMlflow_withTheBearerTokenFromVaultStillOnTheRequest() throws Exception {
        start(nginx.uri(), mtls(client));

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"experiments\"");
        RecordedCall call = mlflow.calls().get(mlflow.calls().size() - 1);
        assertThat(call.header("Authorization")).contains("Bearer " + TOKEN);
        assertThat(call.header(Nginx.clientSubjectHeader()).orElseThrow()).contains("CN=ml-training-job");
        assertThat(call.header("X-Forwarded-Proto")).contains("https");
    }

    @Test
    void pkcs8Pkcs1AndSec1Keys_rsaAndEc_andAPkcs12Bundle_allWorkEndToEnd() throws Exception {
        IssuedCertificate rsa = ca.clientCertificate("rsa-job", KeyType.RSA);
        IssuedCertificate ec = ca.clientCertificate("ec-job", KeyType.EC);
        String caPath = ca.certificatePem().toString();
        Map<String, String[]> variants = new LinkedHashMap<>();
        variants.put("RSA PKCS#8", mtls(rsa));
        variants.put("RSA PKCS#1", new String[] {"MLFLOW_TRACKING_CLIENT_CERT_PATH", rsa.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", rsa.traditionalPrivateKeyPem().toString(), "MLFLOW_TRACKING_CA_BUNDLE_PATH", caPath});
        variants.put("EC SEC1", new String[] {"MLFLOW_TRACKING_CLIENT_CERT_PATH", ec.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", ec.traditionalPrivateKeyPem().toString(), "MLFLOW_TRACKING_CA_BUNDLE_PATH", caPath});
        variants.put("EC PKCS#8", mtls(ec));
        variants.put("RSA PKCS#12", new String[] {"MLFLOW_TRACKING_CLIENT_CERT_PATH", rsa.pkcs12("p12-pass").toString(),
                "MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "p12-pass", "MLFLOW_TRACKING_CA_BUNDLE_PATH", caPath});
        variants.put("EC combined PEM", new String[] {"MLFLOW_TRACKING_CLIENT_CERT_PATH", ec.combinedPem().toString(),
                "MLFLOW_TRACKING_CA_BUNDLE_PATH", caPath});
        for (Map.Entry<String, String[]> v : variants.entrySet()) {
            start(nginx.uri(), v.getValue());
            assertThat(search().statusCode()).as(v.getKey()).isEqualTo(200);
            assertThat(mlflow.calls().get(mlflow.calls().size() - 1).header(Nginx.clientSubjectHeader()).orElseThrow()).as(v.getKey())
                    .contains(v.getKey().startsWith("RSA") ? "CN=rsa-job" : "CN=ec-job");
            proxy.close();
        }
    }

    @Test
    void noClientCertificate_isRefused_withAMessageNamingTheSettings() throws Exception {
        start(nginx.uri(), "MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString());

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).contains("CLIENT_CERTIFICATE_REQUIRED", "the MLflow server at 127.0.0.1:" + nginx.port()
                + " requires a client certificate (mutual TLS) and none is configured: set MLFLOW_TRACKING_CLIENT_CERT_PATH and "
                + "MLFLOW_TRACKING_CLIENT_KEY_PATH");
        assertThat(mlflow.calls()).isEmpty();
    }

    @Test
    void aCertificateFromAnotherCa_isRejected_withAMessageNamingBothCas() throws Exception {
        start(nginx.uri(), mtls(otherCa.clientCertificate("stranger")));

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("CLIENT_CERTIFICATE_REJECTED",
                "rejected the client certificate: the certificate in MLFLOW_TRACKING_CLIENT_CERT_PATH (subject ",
                "CN=stranger", "issued by O=mlflow-secrets-auth testkit,CN=some other CA",
                "(the server accepts certificates issued by: O=mlflow-secrets-auth testkit,CN=mTLS test CA)");
        assertThat(mlflow.calls()).isEmpty();
    }

    @Test
    void anExpiredCertificate_failsTheStart_namingTheVariable() {
        Instant from = Instant.parse("2023-01-01T00:00:00Z");
        IssuedCertificate expired = ca.clientCertificate("expired-job", KeyType.EC, from, from.plus(Duration.ofDays(30)));

        assertThatThrownBy(() -> start(nginx.uri(), mtls(expired)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MLFLOW_TRACKING_CLIENT_CERT_PATH: the client certificate expired on 2023-01-31T00:00:00Z "
                        + "(subject O=mlflow-secrets-auth testkit,CN=expired-job): renew it");
        proxy = null;
    }

    @Test
    void aServerNotTrusted_isA502_namingHostPortAndTheCaSetting() throws Exception {
        start(nginx.uri(), "MLFLOW_TRACKING_CLIENT_CERT_PATH", client.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", client.privateKeyPem().toString());

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("UPSTREAM_UNAVAILABLE", "TLS handshake with 127.0.0.1:" + nginx.port()
                + " failed: the server's certificate is not trusted", "set MLFLOW_TRACKING_CA_BUNDLE_PATH to the CA that issued it");
    }

    @Test
    void aCaBundleOfAnotherCa_isA502_sayingTheBundleLacksTheIssuer() throws Exception {
        start(nginx.uri(), "MLFLOW_TRACKING_CA_BUNDLE_PATH", otherCa.certificatePem().toString());

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("not trusted", "(the bundle set does not include it)");
    }

    @Test
    void theCaBundle_isTrustedThroughConfigurationOnly_neverTheJvmDefaults() throws Exception {
        start(nginx.uri(), "MLFLOW_TRACKING_CLIENT_CERT_PATH", client.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", client.privateKeyPem().toString(),
                "MLFLOW_TRACKING_SERVER_CERT_PATH", ca.certificatePem().toString()); // MLflow's own name, as an alias

        assertThat(search().statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(nginx.uri().resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void insecureMode_skipsVerification_andWarnsLoudlyOnEveryStart() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            String[] insecure = {"MLFLOW_TRACKING_INSECURE_TLS", "true", "MLFLOW_TRACKING_CLIENT_CERT_PATH",
                    client.certificatePem().toString(), "MLFLOW_TRACKING_CLIENT_KEY_PATH", client.privateKeyPem().toString()};
            start(nginx.uri(), insecure);
            assertThat(search().statusCode()).isEqualTo(200);
            proxy.close();
            start(nginx.uri(), insecure);
            assertThat(search().statusCode()).isEqualTo(200);

            List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("WARN") && l.contains("NOT verified")).toList();
            assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("MLFLOW_TRACKING_INSECURE_TLS=true",
                    "127.0.0.1:" + nginx.port(), "Development only"));
        }
    }

    @Test
    void insecureTogetherWithACaBundle_failsTheStart() {
        assertThatThrownBy(() -> start(nginx.uri(), "MLFLOW_TRACKING_INSECURE_TLS", "true",
                "MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_TRACKING_INSECURE_TLS=true cannot be combined with MLFLOW_TRACKING_CA_BUNDLE_PATH");
        proxy = null;
    }

    @Test
    void aKeyThatDoesNotMatch_failsTheStart() {
        IssuedCertificate other = ca.clientCertificate("other");

        assertThatThrownBy(() -> start(nginx.uri(), "MLFLOW_TRACKING_CLIENT_CERT_PATH", client.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", other.privateKeyPem().toString()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_KEY_PATH: the private key does not match the certificate");
        proxy = null;
    }

    @Test
    void nothingListening_isA502_sayingWhichHostAndPortRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        start(URI.create("https://127.0.0.1:" + port), mtls(client));

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void httpsTowardsAPlainHttpServer_saysTheServerDoesNotSpeakTls() throws Exception {
        start(URI.create("https://127.0.0.1:" + mlflow.port()), mtls(client));

        HttpResponse<String> r = search();

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("TLS handshake with 127.0.0.1:" + mlflow.port() + " failed: the server does not speak TLS");
    }
}
