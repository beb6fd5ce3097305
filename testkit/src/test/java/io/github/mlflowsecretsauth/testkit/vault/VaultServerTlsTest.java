package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultServerTlsTest {

    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().tls(true).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "over-tls"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    /** Builds trust from the PEM file alone, the way a client given VAULT_CACERT would. */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            trust.setCertificateEntry("vault-testkit", certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Test
    void theAddressIsHttpsAndTheCaFileIsPem() throws Exception {
        assertThat(vault.address().getScheme()).isEqualTo("https");
        assertThat(vault.tls()).isTrue();
        assertThat(Files.readString(vault.caCertificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void aClientTrustingThePemReadsSecretsOverTls() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(vault.caCertificatePem())).build();

        VaultHttp.Answer answer = new VaultHttp(vault.address(), client).token(vault.rootToken())
                .get("/v1/secret/data/mlflow/auth");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("data").path("token").asText()).isEqualTo("over-tls");
    }

    @Test
    void theCertificateAlsoCoversTheLocalhostName() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(vault.caCertificatePem())).build();
        URI localhost = URI.create("https://localhost:" + vault.port());

        assertThat(new VaultHttp(localhost, client).get("/v1/sys/health").status()).isEqualTo(200);
    }

    @Test
    void aClientWithDefaultTrustRefusesTheSelfSignedCertificate() {
        VaultHttp http = new VaultHttp(vault.address(), HttpClient.newHttpClient());

        assertThatThrownBy(() -> http.get("/v1/sys/health")).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aPlainServerHasNoCaCertificate() {
        try (VaultServer plain = VaultServer.builder().start()) {
            assertThatThrownBy(plain::caCertificatePem).isInstanceOf(IllegalStateException.class);
        }
    }
}
