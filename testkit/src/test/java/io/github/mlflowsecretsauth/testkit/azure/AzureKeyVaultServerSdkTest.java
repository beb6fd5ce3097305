package io.github.mlflowsecretsauth.testkit.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The real Azure SDK (azure-security-keyvault-secrets with the JDK HttpClient, azure-identity's
 * ClientSecretCredential) against {@link AzureKeyVaultServer}: the challenge flow, latest and fixed
 * versions, the versions list, the error answers, and the token endpoint. The CA is trusted through
 * the client's own SSLContext only. A new server (port) per test, since the SDK caches challenges per host.
 */
class AzureKeyVaultServerSdkTest {
    private static final String APP = "0f5c3a0e-aaaa-4bbb-8ccc-000000000001";
    private static final String APP_SECRET = "CANARY-app-secret";

    private AzureKeyVaultServer kv;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        kv = AzureKeyVaultServer.builder().start();
        kv.addServicePrincipal(APP, APP_SECRET);
        http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(trusting(kv))).build();
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    static SSLContext trusting(AzureKeyVaultServer server) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(server.caCertificatePem())) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private SecretClient client(TokenCredential credential) {
        return new SecretClientBuilder().vaultUrl(kv.vaultUrl().toString()).credential(credential).httpClient(http)
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
                .disableChallengeResourceVerification().buildClient();
    }

    private TokenCredential lambda() {
        return ctx -> Mono.just(new AccessToken(kv.issueToken(APP), OffsetDateTime.now().plusHours(1)));
    }

    @Test
    void latestVersion_followsTheChallenge_thenReadsWithTheBearerToken() {
        kv.setSecret("mlflow-auth", "{\"token\":\"t1\"}", "application/json");
        String v2 = kv.setSecret("mlflow-auth", "{\"token\":\"t2\"}");

        KeyVaultSecret s = client(lambda()).getSecret("mlflow-auth");

        assertThat(s.getValue()).isEqualTo("{\"token\":\"t2\"}");
        assertThat(s.getProperties().getVersion()).isEqualTo(v2);
        assertThat(s.getProperties().isEnabled()).isTrue();
        assertThat(s.getId()).isEqualTo(kv.vaultUrl() + "/secrets/mlflow-auth/" + v2);
        List<KeyVaultRequest> r = kv.requests();
        assertThat(r).hasSize(2);
        assertThat(r.get(0).bearer()).isFalse();
        assertThat(r.get(0).status()).isEqualTo(401);
        assertThat(r.get(0).path()).isEqualTo("/secrets/mlflow-auth/");
        assertThat(r.get(0).apiVersion()).hasValue("2025-07-01");
        assertThat(r.get(1).bearer()).isTrue();
        assertThat(r.get(1).status()).isEqualTo(200);
        assertThat(r.get(1).clientId()).hasValue(APP);
    }

    @Test
    void fixedVersion_andTheVersionsList() {
        String v1 = kv.setSecret("mlflow-auth", "bare-token-1", "text/plain");
        kv.setSecret("mlflow-auth", "bare-token-2");
        SecretClient c = client(lambda());

        KeyVaultSecret s = c.getSecret("mlflow-auth", v1);
        List<String> versions = c.listPropertiesOfSecretVersions("mlflow-auth").stream().map(SecretProperties::getVersion).toList();

        assertThat(s.getValue()).isEqualTo("bare-token-1");
        assertThat(s.getProperties().getContentType()).isEqualTo("text/plain");
        assertThat(versions).containsExactlyElementsOf(kv.versions("mlflow-auth"));
    }

    @Test
    void errors_areKeyVaultsJson() {
        kv.setSecret("mlflow-auth", "t");
        kv.setSecret("locked", "t");
        kv.deny(APP, "locked", true);
        SecretClient c = client(lambda());

        assertThatThrownBy(() -> c.getSecret("missing")).isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("SecretNotFound");
        assertThatThrownBy(() -> c.getSecret("locked")).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("ForbiddenByRbac");
        });
        kv.setEnabled("mlflow-auth", null, false);
        assertThatThrownBy(() -> c.getSecret("mlflow-auth")).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("SecretDisabled");
        });
        kv.throttleNext(1, 7);
        assertThatThrownBy(() -> c.getSecret("missing")).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
            assertThat(e.getResponse().getHeaderValue("Retry-After")).isEqualTo("7");
        });
    }

    @Test
    void revokedToken_isAnsweredWithTheChallengeAgain_whichTheSdkSurfacesAs401() {
        kv.setSecret("mlflow-auth", "t");
        SecretClient c = client(lambda());
        c.getSecret("mlflow-auth");
        kv.revokeTokens(APP);
        kv.resetRequests();

        // The SDK's token cache still holds the revoked token, so the SDK's answer to the challenge cannot succeed.
        assertThatThrownBy(() -> c.getSecret("mlflow-auth")).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(401);
            assertThat(e.getResponse().getHeaderValue("WWW-Authenticate")).startsWith("Bearer authorization=\"" + kv.authorityHost()
                    + "/" + kv.tenantId() + "\", resource=\"https://vault.azure.net\"");
        });
        assertThat(kv.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.bearer()).isTrue();
            assertThat(r.status()).isEqualTo(401);
        });
    }

    @Test
    void clientSecretCredential_getsItsTokenFromTheTestkitTokenEndpoint_offline() {
        kv.setSecret("mlflow-auth", "t");
        TokenCredential credential = new ClientSecretCredentialBuilder().tenantId(kv.tenantId()).clientId(APP).clientSecret(APP_SECRET)
                .authorityHost(kv.authorityHost().toString()).disableInstanceDiscovery().httpClient(http).build();

        assertThat(client(credential).getSecret("mlflow-auth").getValue()).isEqualTo("t");
        assertThat(kv.tokenRequests()).isEqualTo(1);
        assertThat(kv.requests()).filteredOn(KeyVaultRequest::isTokenRequest).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void wrongClientSecret_isRefusedByTheTokenEndpoint() {
        kv.setSecret("mlflow-auth", "t");
        TokenCredential credential = new ClientSecretCredentialBuilder().tenantId(kv.tenantId()).clientId(APP).clientSecret("wrong")
                .authorityHost(kv.authorityHost().toString()).disableInstanceDiscovery().httpClient(http).build();

        assertThatThrownBy(() -> client(credential).getSecret("mlflow-auth")).isInstanceOf(RuntimeException.class);
        assertThat(kv.requests()).filteredOn(KeyVaultRequest::isTokenRequest).isNotEmpty()
                .allSatisfy(r -> assertThat(r.errorCode()).hasValue("invalid_client"));
        assertThat(kv.secretReads()).isZero();
    }
}
