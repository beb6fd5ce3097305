package io.github.mlflowsecretsauth.testkit.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real nginx serving HTTPS, and mutual TLS with certificates from a test CA. */
class NginxTlsTest {

    private EchoUpstream upstream;
    private CertificateAuthority ca;
    private CertificateAuthority otherCa;
    private Nginx nginx;

    @BeforeAll
    static void nginxIsInstalled() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new EchoUpstream();
        ca = CertificateAuthority.create("nginx test CA");
        otherCa = CertificateAuthority.create("another CA");
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        upstream.close();
        ca.close();
        otherCa.close();
    }

    private Nginx mutualTls() {
        IssuedCertificate server = ca.serverCertificate();
        nginx = Nginx.builder().upstream(upstream.uri()).tls(server.certificatePem(), server.privateKeyPem())
                .requireClientCertificate(ca.certificatePem()).start();
        return nginx;
    }

    /** A JDK client trusting {@code trusted} and presenting {@code client} (none when null), via PKCS#12. */
    private static HttpClient client(Path trusted, IssuedCertificate client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(trusted)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(client.pkcs12("pw"))) {
                keys.load(in, "pw".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManager[] km = kmf == null ? null : new KeyManager[] {new AlwaysOffer((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
        context.init(km, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Offers the one certificate whatever CAs the server names, as curl and OpenSSL do: the JDK's own
     * key manager would send nothing for a certificate of another CA.
     */
    private static final class AlwaysOffer extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        AlwaysOffer(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyType, null, engine);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, null, socket);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void https_withTheCaTrusted_reachesTheUpstream_asHttps() throws Exception {
        IssuedCertificate server = ca.serverCertificate();
        nginx = Nginx.builder().upstream(upstream.uri()).tls(server.certificatePem(), server.privateKeyPem()).start();

        HttpResponse<String> r = get(client(ca.certificatePem(), null), nginx.uri(), "/api/2.0/mlflow/experiments/search");

        assertThat(nginx.uri().getScheme()).isEqualTo("https");
        assertThat(nginx.isTls()).isTrue();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.requests().get(0).forwardedProto()).isEqualTo("https");
    }

    @Test
    void https_withAnotherCaTrusted_failsTheHandshake() {
        IssuedCertificate server = ca.serverCertificate();
        nginx = Nginx.builder().upstream(upstream.uri()).tls(server.certificatePem(), server.privateKeyPem()).start();

        assertThatThrownBy(() -> get(client(otherCa.certificatePem(), null), nginx.uri(), "/"))
                .isInstanceOf(SSLHandshakeException.class);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void mutualTls_theRightClientCertificate_reachesTheUpstream_whichSeesItsSubject() throws Exception {
        mutualTls();
        for (CertificateAuthority.KeyType type : CertificateAuthority.KeyType.values()) {
            HttpResponse<String> r = get(client(ca.certificatePem(), ca.clientCertificate("job-" + type, type)),
                    nginx.uri(), "/x");

            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThat(upstream.requests()).extracting(EchoUpstream.Seen::clientSubject)
                .containsExactly("O=mlflow-secrets-auth testkit,CN=job-RSA", "O=mlflow-secrets-auth testkit,CN=job-EC");
    }

    @Test
    void mutualTls_noClientCertificate_isAnswered400ByNginx() throws Exception {
        mutualTls();

        HttpResponse<String> r = get(client(ca.certificatePem(), null), nginx.uri(), "/x");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("No required SSL certificate was sent");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void mutualTls_aCertificateFromAnotherCa_orAnExpiredOne_isAnswered400ByNginx() throws Exception {
        mutualTls();
        Instant past = Instant.parse("2021-01-01T00:00:00Z");
        IssuedCertificate stranger = otherCa.clientCertificate("stranger");
        IssuedCertificate expired = ca.clientCertificate("expired", CertificateAuthority.KeyType.EC, past,
                past.plus(Duration.ofDays(1)));

        for (IssuedCertificate rejected : new IssuedCertificate[] {stranger, expired}) {
            HttpResponse<String> r = get(client(ca.certificatePem(), rejected), nginx.uri(), "/x");

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("The SSL certificate error");
        }
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void mutualTls_survivesACredentialReload_togetherWithBearerChecks() throws Exception {
        mutualTls();
        HttpClient client = client(ca.certificatePem(), ca.clientCertificate("job"));
        nginx.setBearerTokens("t1");

        HttpResponse<String> without = get(client, nginx.uri(), "/x");
        HttpResponse<String> with = client.send(HttpRequest.newBuilder(nginx.uri().resolve("/x"))
                .header("Authorization", "Bearer t1").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(nginx.config()).contains("ssl_verify_client on;", "listen 127.0.0.1:" + nginx.port() + " ssl;");
    }

    @Test
    void requiringClientCertificates_withoutTls_isRefused() {
        assertThatThrownBy(() -> Nginx.builder().upstream(upstream.uri()).requireClientCertificate(ca.certificatePem()).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(");
    }
}
