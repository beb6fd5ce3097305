package io.github.mlflowsecretsauth.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    @Test
    void theCertificateIsAnEcKeyForLocalhostAndTheLoopbackAddress(@TempDir Path directory) throws Exception {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.generate(directory)) {
            X509Certificate x509;
            try (InputStream in = Files.newInputStream(certificate.pemCertificate())) {
                x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            List<String> names = x509.getSubjectAlternativeNames().stream()
                    .map(entry -> entry.get(1).toString()).collect(Collectors.toList());

            assertThat(x509.getPublicKey().getAlgorithm()).isEqualTo("EC");
            assertThat(names).contains("localhost", "127.0.0.1");
            assertThat(x509.getSubjectX500Principal().getName()).contains("CN=localhost");
        }
    }

    @Test
    void theKeyStoreOpensWithThePasswordAndHoldsTheKey(@TempDir Path directory) throws Exception {
        try (SelfSignedCertificate certificate = SelfSignedCertificate.generate(directory)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificate.keyStore())) {
                store.load(in, certificate.password());
            }

            assertThat(store.isKeyEntry("testkit")).isTrue();
            assertThat(certificate.newSslContextFactory().getKeyStorePath()).contains("testkit-keystore.p12");
            assertThat(certificate.clientSslContext().getProtocol()).isEqualTo("TLS");
        }
    }

    @Test
    void closingDeletesTheFiles() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path pem = certificate.pemCertificate();

        certificate.close();

        assertThat(pem).doesNotExist();
        assertThat(pem.getParent()).doesNotExist();
    }
}
