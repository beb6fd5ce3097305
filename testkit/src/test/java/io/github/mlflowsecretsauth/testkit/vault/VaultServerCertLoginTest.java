package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cert login: the TLS listener asks for a client certificate, auth/cert/login maps it to a role. */
class VaultServerCertLoginTest {
    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;
    private static IssuedCertificate job;
    private static IssuedCertificate stranger;

    private VaultServer vault;

    @BeforeAll
    static void issue() {
        ca = CertificateAuthority.create("cert login CA");
        otherCa = CertificateAuthority.create("cert login CA"); // the same name, another key
        job = ca.clientCertificate("ml-job");
        stranger = otherCa.clientCertificate("ml-job");
    }

    @AfterAll
    static void remove() {
        ca.close();
        otherCa.close();
    }

    @BeforeEach
    void start() {
        vault = VaultServer.builder().tls(true).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "over-mtls"));
        vault.addCertRole("cert", CertRole.of("web", ca.certificatePem(), TokenSpec.builder().policies("mlflow-read").build()));
        vault.addCertRole("cert", CertRole.of("named-only", ca.certificatePem(), TokenSpec.defaults())
                .withAllowedCommonNames("someone-else"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultHttp client(IssuedCertificate identity) throws Exception {
        KeyManagerFactory kmf = null;
        if (identity != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(identity.pkcs12("pw"))) {
                ks.load(in, "pw".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(vault.caCertificatePem())) {
            trust.setCertificateEntry("vault", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return new VaultHttp(vault.address(), HttpClient.newBuilder().sslContext(context).build());
    }

    @Test
    void aCertificateOfTheRolesCa_logsIn_andEveryRequestRecordsIt() throws Exception {
        VaultHttp http = client(job);
        VaultHttp.Answer login = http.post("/v1/auth/cert/login", "{}");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().path("auth").path("policies").toString()).contains("mlflow-read");
        assertThat(login.json().path("auth").path("metadata").path("cert_name").asText()).isEqualTo("web");
        assertThat(login.json().path("auth").path("renewable").asBoolean()).isTrue();
        String token = login.json().path("auth").path("client_token").asText();

        assertThat(http.token(token).get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);
        assertThat(vault.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.tls()).isTrue();
            assertThat(r.clientCertificateSubject()).hasValueSatisfying(s -> assertThat(s).contains("CN=ml-job"));
        });
    }

    @Test
    void aNamedRole_mustTrustTheCertificate_andAllowItsCommonName() throws Exception {
        assertThat(client(job).post("/v1/auth/cert/login", "{\"name\":\"web\"}").status()).isEqualTo(200);
        VaultHttp.Answer refused = client(job).post("/v1/auth/cert/login", "{\"name\":\"named-only\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors().get(0).asText()).isEqualTo("invalid certificate or no client certificate supplied");
        assertThat(client(job).post("/v1/auth/cert/login", "{\"name\":\"no-such-role\"}").status()).isEqualTo(400);
    }

    @Test
    void aCertificateOfAnotherCa_orNone_isRefused_butOtherRequestsStillWork() throws Exception {
        VaultHttp.Answer wrong = client(stranger).post("/v1/auth/cert/login", "{}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.errors().get(0).asText()).isEqualTo("invalid certificate or no client certificate supplied");

        VaultHttp none = client(null);
        VaultHttp.Answer missing = none.post("/v1/auth/cert/login", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errors().get(0).asText()).isEqualTo("client certificate must be supplied");
        assertThat(none.token(vault.rootToken()).get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);
        assertThat(vault.requests().get(vault.requests().size() - 1).clientCertificates()).isEmpty();
    }

    @Test
    void certRoles_needATlsServer() {
        try (VaultServer plain = VaultServer.builder().start()) {
            assertThatThrownBy(() -> plain.addCertRole("cert", CertRole.of("web", ca.certificatePem(), TokenSpec.defaults())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(true)");
        }
    }
}
