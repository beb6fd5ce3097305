package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutual TLS against a server that enforces the client certificate in the TLS handshake itself (a
 * Jetty server with {@code needClientAuth}), as Envoy or a JVM server does, rather than with an HTTP
 * 400 page as nginx does: the proxy's 502 still says what failed and which setting to fix.
 */
class AuthProxyTlsHandshakeTest {
    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;

    private final Engines engines = new Engines();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicReference<String> lastSeenAuthorization = new AtomicReference<>();
    private VaultServer vault;
    private Server server;
    private SecretsAuth auth;
    private AuthProxy proxy;

    @BeforeAll
    static void certificates() {
        ca = CertificateAuthority.create("handshake test CA");
        otherCa = CertificateAuthority.create("untrusted CA");
    }

    @AfterAll
    static void deleteCertificates() {
        ca.close();
        otherCa.close();
    }

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("username", "svc", "password", "pw-from-vault"));
        IssuedCertificate cert = ca.serverCertificate();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(cert.pkcs12("server-pw"))) {
            keys.load(in, "server-pw".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca.certificatePem())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        tls.setKeyStore(keys);
        tls.setKeyStorePassword("server-pw");
        tls.setTrustStore(trust);
        tls.setNeedClientAuth(true);
        server = new Server();
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                lastSeenAuthorization.set(request.getHeaders().get("Authorization"));
                response.setStatus(200);
                response.write(true, java.nio.ByteBuffer.wrap("{}".getBytes()), callback);
                return true;
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (auth != null) {
            auth.close();
        }
        server.stop();
        vault.close();
    }

    private URI serverUri() {
        return URI.create("https://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    private HttpResponse<String> searchThroughProxy(String... tls) throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_VAULT_AUTH_MODE", "basic");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        s.put("MLFLOW_TRACKING_CA_BUNDLE_PATH", ca.certificatePem().toString());
        for (int i = 0; i < tls.length; i += 2) {
            s.put(tls[i], tls[i + 1]);
        }
        auth = engines.engine(s);
        proxy = AuthProxy.builder(auth, serverUri()).start();
        return http.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search?max_results=1"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRightCertificate_passesTheHandshake_andBasicFromVaultGoesOn() throws Exception {
        IssuedCertificate client = ca.clientCertificate("job", CertificateAuthority.KeyType.RSA);

        HttpResponse<String> r = searchThroughProxy("MLFLOW_TRACKING_CLIENT_CERT_PATH", client.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", client.traditionalPrivateKeyPem().toString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(lastSeenAuthorization.get()).startsWith("Basic ");
    }

    @Test
    void noCertificate_failsTheHandshake_andThe502SaysOneIsRequired() throws Exception {
        HttpResponse<String> r = searchThroughProxy();

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("TLS handshake with " + serverUri().getRawAuthority() + " failed: the server requires a "
                + "client certificate (mutual TLS) and none is configured: set MLFLOW_TRACKING_CLIENT_CERT_PATH");
        assertThat(lastSeenAuthorization.get()).isNull();
    }

    @Test
    void aCertificateOfAnotherCa_failsTheHandshake_andThe502SaysItWasRejected() throws Exception {
        IssuedCertificate stranger = otherCa.clientCertificate("stranger");

        HttpResponse<String> r = searchThroughProxy("MLFLOW_TRACKING_CLIENT_CERT_PATH", stranger.certificatePem().toString(),
                "MLFLOW_TRACKING_CLIENT_KEY_PATH", stranger.privateKeyPem().toString());

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("TLS handshake with " + serverUri().getRawAuthority() + " failed: the server rejected the "
                + "client certificate (TLS alert", "CN=stranger", "the server accepts certificates issued by:", "CN=handshake test CA");
        assertThat(lastSeenAuthorization.get()).isNull();
    }
}
