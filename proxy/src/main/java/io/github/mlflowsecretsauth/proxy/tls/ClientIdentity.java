package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The client certificate chain and private key for mutual TLS, loaded from PEM files or a PKCS#12
 * bundle and checked before any connection: the key must match the certificate, and every
 * certificate of the chain must be valid now. Immutable; {@link #toString()} shows the subject only.
 *
 * <p>Every failure is a one-line {@link ConfigurationException} naming the variable to fix; file
 * contents and the password are never part of a message.
 */
public final class ClientIdentity {
    static final String ALIAS = "client";

    private final PrivateKey key;
    private final List<X509Certificate> chain;

    private ClientIdentity(PrivateKey key, List<X509Certificate> chain) {
        this.key = key;
        this.chain = List.copyOf(chain);
    }

    /** Loads and checks the identity the settings name, if any. */
    public static Optional<ClientIdentity> load(TlsSettings settings, Clock clock) {
        if (settings.clientCert().isEmpty()) {
            return Optional.empty();
        }
        Path certPath = settings.clientCert().get();
        byte[] certBytes = read(certPath, ConfigKeys.TRACKING_CLIENT_CERT_PATH);
        ClientIdentity identity;
        if (isPem(certBytes)) {
            if (settings.password().isPresent()) {
                throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD + " is set but "
                        + ConfigKeys.TRACKING_CLIENT_CERT_PATH + " is a PEM file: the password only opens a PKCS#12 bundle");
            }
            identity = fromPem(certBytes, settings.clientKey());
        } else {
            if (settings.clientKey().isPresent()) {
                throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_KEY_PATH + " must not be set when "
                        + ConfigKeys.TRACKING_CLIENT_CERT_PATH + " is a PKCS#12 bundle, which holds the key itself");
            }
            identity = fromPkcs12(certBytes, settings.password().orElse(""));
        }
        identity.requireKeyMatches(settings.clientKey().isPresent() ? ConfigKeys.TRACKING_CLIENT_KEY_PATH
                : ConfigKeys.TRACKING_CLIENT_CERT_PATH);
        identity.requireValidAt(clock.instant());
        return Optional.of(identity);
    }

    private static byte[] read(Path file, String variable) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(variable + ": the file cannot be read (" + e.getClass().getSimpleName()
                    + "): point it at a readable file");
        }
    }

    private static boolean isPem(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    private static ClientIdentity fromPem(byte[] certBytes, Optional<Path> keyPath) {
        List<X509Certificate> chain = PemFiles.certificates(new String(certBytes, StandardCharsets.ISO_8859_1),
                ConfigKeys.TRACKING_CLIENT_CERT_PATH);
        if (chain.isEmpty()) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH
                    + " holds no certificate: expected a PEM certificate (BEGIN CERTIFICATE) or a PKCS#12 bundle");
        }
        String keyVariable = keyPath.isPresent() ? ConfigKeys.TRACKING_CLIENT_KEY_PATH : ConfigKeys.TRACKING_CLIENT_CERT_PATH;
        String keyPem = new String(keyPath.map(p -> read(p, ConfigKeys.TRACKING_CLIENT_KEY_PATH)).orElse(certBytes),
                StandardCharsets.ISO_8859_1);
        PrivateKey key = PemFiles.privateKey(keyPem, keyVariable).orElseThrow(() -> new ConfigurationException(keyPath.isPresent()
                ? ConfigKeys.TRACKING_CLIENT_KEY_PATH + " holds no private key: expected PEM, PKCS#8 (BEGIN PRIVATE KEY), "
                        + "PKCS#1 (BEGIN RSA PRIVATE KEY) or SEC1 (BEGIN EC PRIVATE KEY)"
                : ConfigKeys.TRACKING_CLIENT_KEY_PATH + " is not set and " + ConfigKeys.TRACKING_CLIENT_CERT_PATH
                        + " holds no private key: set it to the certificate's PEM key file"));
        return new ClientIdentity(key, chain);
    }

    private static ClientIdentity fromPkcs12(byte[] bytes, String password) {
        char[] pw = password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), pw);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": the PKCS#12 bundle cannot be opened "
                        + "with the password in " + ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD + " (or without one, if unset)");
            }
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + " is neither a PEM certificate nor a "
                    + "PKCS#12 bundle (" + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": the PKCS#12 bundle cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key = store.getKey(alias, pw);
                Certificate[] certs = store.getCertificateChain(alias);
                if (key instanceof PrivateKey pk && certs != null && certs.length > 0) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : certs) {
                        chain.add((X509Certificate) c);
                    }
                    return new ClientIdentity(pk, chain);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": the key in the PKCS#12 bundle cannot be "
                    + "opened with the password in " + ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD);
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": the PKCS#12 bundle cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
        throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH
                + ": the PKCS#12 bundle holds no private key with its certificate");
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key (JDK crypto only). */
    private void requireKeyMatches(String keyVariable) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigurationException(keyVariable + ": a " + key.getAlgorithm()
                    + " key is not supported for mutual TLS: use an RSA or EC key");
        };
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().getAlgorithm().equals(key.getAlgorithm())
                && !(algorithm.equals("Ed25519") && leaf.getPublicKey().getAlgorithm().startsWith("Ed"))) {
            throw mismatch(keyVariable);
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw mismatch(keyVariable);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof ConfigurationException ce) {
                throw ce;
            }
            throw mismatch(keyVariable);
        }
    }

    private static ConfigurationException mismatch(String keyVariable) {
        return new ConfigurationException(keyVariable + ": the private key does not match the certificate in "
                + ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": use the key the certificate was issued for");
    }

    private void requireValidAt(Instant now) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String which = i == 0 ? "the client certificate" : "certificate " + (i + 1) + " of the chain";
            if (now.isAfter(c.getNotAfter().toInstant())) {
                throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": " + which + " expired on "
                        + c.getNotAfter().toInstant() + " (subject " + subject(c) + "): renew it");
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PATH + ": " + which + " is not valid until "
                        + c.getNotBefore().toInstant() + " (subject " + subject(c) + "): check the certificate and this machine's clock");
            }
        }
    }

    /** An in-memory key store holding this identity under {@link #ALIAS}, protected by {@code password}. */
    KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK could not hold the client key in a key store", e);
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** When the client certificate stops being valid. */
    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    public String subject() {
        return subject(certificate());
    }

    public String issuer() {
        return certificate().getIssuerX500Principal().getName();
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    @Override
    public String toString() {
        return "ClientIdentity{subject=" + subject() + ", issuer=" + issuer() + ", key=" + key.getAlgorithm()
                + ", notAfter=" + notAfter() + "}";
    }
}
