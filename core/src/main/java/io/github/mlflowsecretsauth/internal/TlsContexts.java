package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;

/**
 * Builds {@link SSLContext}s from the JDK's own crypto: one that trusts the certificates of a PEM
 * bundle (Vault's {@code VAULT_CACERT}, MLflow's CA bundle), the explicitly insecure one for
 * {@code VAULT_SKIP_VERIFY}, and client contexts that also present a {@link ClientIdentity} for mutual TLS
 * ({@code VAULT_CLIENT_CERT}, {@code MLFLOW_TRACKING_CLIENT_CERT_PATH}). Errors name the variable. Stateless.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** Trusts exactly the X.509 certificates in the PEM (or DER) file {@code bundle}. */
    public static SSLContext trusting(Path bundle, String variable) {
        return context(null, trustManagers(bundle, variable));
    }

    /**
     * A client context that presents {@code identity} (when given) to servers that ask for a client certificate,
     * and trusts the CAs of {@code bundle}, or every certificate when {@code insecure}, or else the JDK's default CAs.
     * Errors name {@code bundleVariable}.
     */
    public static SSLContext client(Optional<ClientIdentity> identity, Optional<Path> bundle, String bundleVariable,
                                    boolean insecure) {
        TrustManager[] tms;
        if (insecure) {
            tms = new TrustManager[] {new TrustEverything()};
        } else if (bundle.isPresent()) {
            tms = trustManagers(bundle.get(), bundleVariable);
        } else {
            tms = null; // the JDK's default CAs
        }
        return context(identity.map(ClientIdentity::keyManager).orElse(null), tms);
    }

    /** {@code km} may be null (no client certificate), {@code tms} too (the JDK's default trust). */
    public static SSLContext context(KeyManager km, TrustManager[] tms) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km == null ? null : new KeyManager[] {km}, tms, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK could not build a TLS context", e);
        }
    }

    private static TrustManager[] trustManagers(Path bundle, String variable) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(bundle)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new ConfigurationException(variable + ": cannot read " + bundle + " (" + e.getClass().getSimpleName()
                    + "): point it at a readable PEM file of CA certificates");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(variable + ": " + bundle + " holds no valid X.509 certificate: expected a PEM file of CA certificates");
        }
        if (certs.isEmpty()) {
            throw new ConfigurationException(variable + ": " + bundle + " holds no certificate: expected a PEM file of CA certificates");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK could not build a TLS context", e);
        }
    }

    /** Trusts every certificate and skips host name checks. Only for an explicit opt-in. */
    public static SSLContext insecure() {
        return context(null, new TrustManager[] {new TrustEverything()});
    }

    /**
     * A trust manager that accepts any chain and, being an {@link X509ExtendedTrustManager}, also skips host
     * name checks: for the explicit insecure opt-ins only ({@code VAULT_SKIP_VERIFY}, {@code MLFLOW_TRACKING_INSECURE_TLS}).
     */
    public static X509ExtendedTrustManager trustEverything() {
        return new TrustEverything();
    }

    /** Accepts any chain; as an X509ExtendedTrustManager it also disables endpoint identification. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
