package io.github.mlflowsecretsauth.azure.keyvault;

import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_ID;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import io.github.mlflowsecretsauth.testkit.azure.KeyVaultRequest;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider with the real Azure SDK and the real DefaultAzureCredential against the testkit Key Vault
 * and its token endpoint, over HTTPS trusted through MLFLOW_AZURE_CA_BUNDLE_PATH only.
 */
class KeyVaultProviderTest {
    private final Engines engines = new Engines();
    private AzureKeyVaultServer kv;

    @BeforeEach
    void start() {
        kv = AzureFixtures.server();
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    private Map<String, String> headers(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            return auth.headersFor(MLFLOW);
        }
    }

    @Test
    void latestVersion_jsonToken_becomesABearerHeader_viaTheChallengeAndAServicePrincipalToken() {
        kv.setSecret(SECRET, "{\"token\":\"old-token\"}");
        String v2 = kv.setSecret(SECRET, "{\"token\":\"kv-token\"}", "application/json");
        try (SecretsAuth auth = engines.engine(AzureFixtures.settings(kv))) {
            HeaderSnapshot snap = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(snap.headerValue()).isEqualTo("Bearer kv-token");
            assertThat(snap.provider()).isEqualTo("azure-key-vault");
            assertThat(snap.location()).isEqualTo("azure-key-vault:" + kv.vaultUrl().getRawAuthority() + "/" + SECRET);
            assertThat(snap.version()).contains(v2);
        }
        assertThat(kv.requests()).extracting(KeyVaultRequest::status).containsExactly(401, 200, 200);
        assertThat(kv.requests().get(1).isTokenRequest()).isTrue();
        assertThat(kv.requests().get(2).clientId()).contains(CLIENT_ID);
    }

    @Test
    void fixedVersion_readsThatVersion_notTheLatest() {
        String v1 = kv.setSecret(SECRET, "first-token");
        kv.setSecret(SECRET, "second-token");
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_AZURE_SECRET_VERSION", v1);
        assertThat(headers(s)).containsEntry("Authorization", "Bearer first-token");
        assertThat(kv.requests()).filteredOn(r -> r.status() == 200 && !r.isTokenRequest()).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/secrets/" + SECRET + "/" + v1));
    }

    @Test
    void bareToken_becomesABearerHeader() {
        kv.setSecret(SECRET, "bare-kv-token-123");
        assertThat(headers(AzureFixtures.settings(kv))).containsEntry("Authorization", "Bearer bare-kv-token-123");
    }

    @Test
    void basicMode_withUsernameAndPassword() {
        kv.setSecret(SECRET, "{\"username\":\"ml-user\",\"password\":\"ml-pass\"}");
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_AZURE_AUTH_MODE", "basic");
        assertThat(headers(s)).containsEntry("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("ml-user:ml-pass".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void describe_showsVaultSecretVersionAndIdentitySource_neverTheClientSecret() {
        try (SecretsAuth auth = engines.engine(AzureFixtures.settings(kv))) {
            Map<String, String> d = auth.chain().get(0).describe();
            assertThat(d).containsEntry("vault URL", kv.vaultUrl().toString()).containsEntry("secret name", SECRET)
                    .containsEntry("version", "latest (default)")
                    .containsEntry("identity source", "service principal with a client secret (EnvironmentCredential)")
                    .containsEntry("identity variables", "AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET")
                    .containsEntry("challenge resource verification", "off (loopback vault host)")
                    .containsEntry("CA bundle", kv.caCertificatePem().toString());
            assertThat(d.toString()).doesNotContain(AzureFixtures.CLIENT_SECRET);
            assertThat(auth.chain().get(0).ttl()).hasSeconds(300);
        }
    }

    @Test
    void ttlSetting_usesTheAzurePrefix() {
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_AZURE_TTL_SEC", "42");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.chain().get(0).ttl()).hasSeconds(42);
        }
    }

    @Test
    void workloadIdentity_federatedTokenFile_getsItsTokenWithTheAssertion(@TempDir Path dir) throws Exception {
        String workload = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
        String assertion = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bWw6dHJhaW5lciJ9.c2ln";
        kv.addFederatedIdentity(workload, assertion);
        Path tokenFile = Files.writeString(dir.resolve("token"), assertion);
        kv.setSecret(SECRET, "{\"token\":\"wi-token\"}");
        Map<String, String> s = AzureFixtures.without(AzureFixtures.settings(kv), "AZURE_CLIENT_SECRET");
        s.put("AZURE_CLIENT_ID", workload);
        s.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer wi-token");
            assertThat(auth.chain().get(0).describe()).containsEntry("identity source",
                    "workload identity (federated token file) (WorkloadIdentityCredential)");
        }
        assertThat(kv.requests()).filteredOn(r -> r.status() == 200 && !r.isTokenRequest()).singleElement()
                .satisfies(r -> assertThat(r.clientId()).contains(workload));
    }

    @Test
    void servicePrincipalCertificate_signsItsClientAssertion_andGetsAToken() {
        String app = "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c";
        try (CertificateAuthority ca = CertificateAuthority.create("app registration")) {
            IssuedCertificate cert = ca.clientCertificate("mlflow-reader-app", CertificateAuthority.KeyType.RSA);
            kv.addCertificatePrincipal(app, cert.certificatePem());
            kv.setSecret(SECRET, "{\"token\":\"cert-token\"}");
            Map<String, String> s = AzureFixtures.without(AzureFixtures.settings(kv), "AZURE_CLIENT_SECRET");
            s.put("AZURE_CLIENT_ID", app);
            s.put("AZURE_CLIENT_CERTIFICATE_PATH", cert.combinedPem().toString());
            try (SecretsAuth auth = engines.engine(s)) {
                assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer cert-token");
                assertThat(auth.chain().get(0).describe()).containsEntry("identity source",
                        "service principal with a certificate (EnvironmentCredential)");
            }
        }
        assertThat(kv.requests()).filteredOn(KeyVaultRequest::isTokenRequest).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void certificateNotRegisteredForTheApp_isRefused() {
        String app = "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c";
        try (CertificateAuthority ca = CertificateAuthority.create("app registration")) {
            kv.addCertificatePrincipal(app, ca.clientCertificate("registered", CertificateAuthority.KeyType.RSA).certificatePem());
            IssuedCertificate other = ca.clientCertificate("someone-else", CertificateAuthority.KeyType.RSA);
            kv.setSecret(SECRET, "t");
            Map<String, String> s = AzureFixtures.without(AzureFixtures.settings(kv), "AZURE_CLIENT_SECRET");
            s.put("AZURE_CLIENT_ID", app);
            s.put("AZURE_CLIENT_CERTIFICATE_PATH", other.combinedPem().toString());
            try (SecretsAuth auth = engines.engine(s)) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> auth.chain().get(0).fetch()))
                        .isInstanceOf(io.github.mlflowsecretsauth.error.AccessDeniedException.class)
                        .hasMessageContaining("service principal with a certificate").hasMessageContaining("AZURE_CLIENT_CERTIFICATE_PATH");
            }
        }
        assertThat(kv.secretReads()).isZero();
    }
}
