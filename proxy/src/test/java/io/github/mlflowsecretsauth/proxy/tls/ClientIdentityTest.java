package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.ClientIdentity;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority.KeyType;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading and checking the client certificate and key, from files made by the testkit CA (openssl). */
class ClientIdentityTest {
    private static CertificateAuthority ca;
    private static IssuedCertificate rsa;
    private static IssuedCertificate ec;

    @TempDir
    Path tmp;

    @BeforeAll
    static void issue() {
        ca = CertificateAuthority.create("identity test CA");
        rsa = ca.clientCertificate("rsa-job", KeyType.RSA);
        ec = ca.clientCertificate("ec-job", KeyType.EC);
    }

    @AfterAll
    static void close() {
        ca.close();
    }

    private static ClientIdentity load(Map<String, String> values) {
        return load(values, Clock.systemUTC());
    }

    private static ClientIdentity load(Map<String, String> values, Clock clock) {
        return TlsSettings.from(Settings.builder().setAll(values).build()).identity(clock).orElseThrow();
    }

    private static Map<String, String> pem(Path cert, Path key) {
        Map<String, String> m = new HashMap<>();
        m.put("MLFLOW_TRACKING_CLIENT_CERT_PATH", cert.toString());
        if (key != null) {
            m.put("MLFLOW_TRACKING_CLIENT_KEY_PATH", key.toString());
        }
        return m;
    }

    @Test
    void rsaKey_inPkcs8_andInPkcs1_loads() {
        assertThat(load(pem(rsa.certificatePem(), rsa.privateKeyPem())).subject()).contains("CN=rsa-job");
        assertThat(Files.exists(rsa.traditionalPrivateKeyPem())).isTrue();
        assertThat(load(pem(rsa.certificatePem(), rsa.traditionalPrivateKeyPem())).toString()).contains("key=RSA");
    }

    @Test
    void ecKey_inPkcs8_andInSec1_loads() {
        assertThat(load(pem(ec.certificatePem(), ec.privateKeyPem())).toString()).contains("key=EC");
        assertThat(load(pem(ec.certificatePem(), ec.traditionalPrivateKeyPem())).issuer()).contains("CN=identity test CA");
    }

    @Test
    void certificateAndKeyInOnePemFile_needNoKeyPath() {
        assertThat(load(pem(ec.combinedPem(), null)).subject()).contains("CN=ec-job");
    }

    @Test
    void aPkcs12Bundle_loadsWithItsPassword_orWithNoneWhenItHasNone() {
        Map<String, String> m = pem(rsa.pkcs12("bundle-pw"), null);
        m.put("MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "bundle-pw");

        assertThat(load(m).subject()).contains("CN=rsa-job");
        assertThat(load(pem(ec.pkcs12(""), null)).subject()).contains("CN=ec-job");
    }

    @Test
    void aPkcs12Bundle_withTheWrongPassword_namesThePasswordVariable_neverItsValue() {
        Map<String, String> m = pem(rsa.pkcs12("bundle-pw"), null);
        m.put("MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "not-the-password");

        assertThatThrownBy(() -> load(m)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_TRACKING_CLIENT_CERT_PASSWORD").hasMessageNotContaining("not-the-password")
                .hasMessageNotContaining("bundle-pw");
    }

    @Test
    void aPkcs12Bundle_withAKeyPathToo_isRefused() {
        assertThatThrownBy(() -> load(pem(rsa.pkcs12("pw"), rsa.privateKeyPem())))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_KEY_PATH must not be set when MLFLOW_TRACKING_CLIENT_CERT_PATH is a PKCS#12 bundle");
    }

    @Test
    void aPasswordWithPemFiles_isRefused_sinceItWouldBeIgnored() {
        Map<String, String> m = pem(rsa.certificatePem(), rsa.privateKeyPem());
        m.put("MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "pw");

        assertThatThrownBy(() -> load(m)).hasMessageContaining("MLFLOW_TRACKING_CLIENT_CERT_PATH is a PEM file");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificate_isAClearError_forRsaAndEc() {
        IssuedCertificate otherRsa = ca.clientCertificate("other-rsa", KeyType.RSA);

        assertThatThrownBy(() -> load(pem(rsa.certificatePem(), otherRsa.privateKeyPem())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MLFLOW_TRACKING_CLIENT_KEY_PATH: the private key does not match the certificate in "
                        + "MLFLOW_TRACKING_CLIENT_CERT_PATH: use the key the certificate was issued for");
        assertThatThrownBy(() -> load(pem(ec.certificatePem(), ca.clientCertificate("other-ec").traditionalPrivateKeyPem())))
                .hasMessageContaining("does not match the certificate");
        assertThatThrownBy(() -> load(pem(ec.certificatePem(), rsa.privateKeyPem())))
                .hasMessageContaining("does not match the certificate");
    }

    @Test
    void anExpiredCertificate_failsNamingTheVariableAndTheDate() {
        Instant from = Instant.parse("2022-03-01T00:00:00Z");
        IssuedCertificate expired = ca.clientCertificate("expired", KeyType.EC, from, from.plus(Duration.ofDays(90)));

        assertThatThrownBy(() -> load(pem(expired.certificatePem(), expired.privateKeyPem())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PATH: the client certificate expired on 2022-05-30T00:00:00Z")
                .hasMessageEndingWith("renew it");
    }

    @Test
    void aCertificateNotValidYet_failsNamingTheVariable() {
        Instant from = Instant.parse("2030-01-01T00:00:00Z");
        IssuedCertificate future = ca.clientCertificate("future", KeyType.EC, from, from.plus(Duration.ofDays(90)));

        assertThatThrownBy(() -> load(pem(future.certificatePem(), future.privateKeyPem())))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PATH: the client certificate is not valid until 2030-01-01T00:00:00Z");
        assertThat(load(pem(future.certificatePem(), future.privateKeyPem()),
                Clock.fixed(from.plus(Duration.ofDays(1)), ZoneOffset.UTC)).subject()).contains("CN=future");
    }

    @Test
    void unreadableFiles_nameTheirVariable_notThePath() {
        Path missing = tmp.resolve("secret-dir/missing.pem");

        assertThatThrownBy(() -> load(pem(missing, ec.privateKeyPem())))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PATH: the file cannot be read (NoSuchFileException)")
                .hasMessageNotContaining("secret-dir");
        assertThatThrownBy(() -> load(pem(ec.certificatePem(), missing)))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_KEY_PATH: the file cannot be read");
    }

    @Test
    void filesWithTheWrongContent_sayWhatWasExpected() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        Path noKey = Files.writeString(tmp.resolve("nokey.pem"), "just text\n");

        assertThatThrownBy(() -> load(pem(junk, ec.privateKeyPem())))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PATH holds no valid X.509 certificate");
        assertThatThrownBy(() -> load(pem(ec.certificatePem(), noKey)))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_KEY_PATH holds no private key");
        assertThatThrownBy(() -> load(pem(ec.certificatePem(), null)))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_KEY_PATH is not set and MLFLOW_TRACKING_CLIENT_CERT_PATH holds no private key");
        assertThatThrownBy(() -> load(pem(noKey, null)))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PATH is neither a PEM certificate nor a PKCS#12 bundle");
    }

    @Test
    void anEncryptedPemKey_isRefusedWithAWayOut() throws Exception {
        Path encrypted = tmp.resolve("enc.pem");
        Process p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-in", ec.privateKeyPem().toString(), "-out",
                encrypted.toString(), "-passout", "pass:pw").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();

        assertThatThrownBy(() -> load(pem(ec.certificatePem(), encrypted)))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_KEY_PATH holds an encrypted private key, which is not supported");
    }

    @Test
    void everyMessageIsOneLine() {
        assertThatThrownBy(() -> load(pem(rsa.certificatePem(), ec.privateKeyPem())))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
