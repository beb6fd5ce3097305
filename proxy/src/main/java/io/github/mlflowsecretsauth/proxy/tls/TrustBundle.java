package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;

/**
 * A PEM (or DER) file of CA certificates as a trust store: the MLflow server is trusted if its chain
 * ends in one of them, and in nothing else (the JDK's default CAs are then not consulted). Stateless.
 */
final class TrustBundle {
    private TrustBundle() {
    }

    /** The certificates of {@code bundle} in a key store; errors name {@code variable}. */
    static KeyStore load(Path bundle, String variable, Instant now) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(bundle)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(variable + ": the file cannot be read (" + e.getClass().getSimpleName()
                    + "): point it at a readable PEM file of CA certificates");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConfigurationException(variable + " holds no valid X.509 certificate: expected a PEM file of CA certificates");
        }
        if (certs.isEmpty()) {
            throw new ConfigurationException(variable + " holds no certificate: expected a PEM file of CA certificates");
        }
        if (certs.stream().allMatch(c -> now.isAfter(((X509Certificate) c).getNotAfter().toInstant()))) {
            throw new ConfigurationException(variable + ": every certificate in the bundle has expired: update the CA bundle");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK could not build a trust store", e);
        }
    }
}
