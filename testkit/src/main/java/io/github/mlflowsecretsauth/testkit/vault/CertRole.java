package io.github.mlflowsecretsauth.testkit.vault;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A role of the testkit Vault's {@code cert} auth method, as {@code vault write auth/cert/certs/<name>
 * certificate=@ca.pem allowed_common_names=... token_policies=... token_ttl=...} configures one: a client
 * certificate logs in as this role when it is one of {@code trusted} or was issued (signed) by one of them, is
 * valid at the server's clock, and its common name is allowed. Immutable.
 *
 * @param name the role's name ({@code name} in the login body)
 * @param trusted the CA certificates (or self-signed client certificates) the role trusts
 * @param allowedCommonNames common names accepted; empty: any
 * @param tokenSpec the Vault token a login issues
 */
public record CertRole(String name, List<X509Certificate> trusted, List<String> allowedCommonNames, TokenSpec tokenSpec) {

    /** Copies the lists. */
    public CertRole {
        Objects.requireNonNull(name, "name");
        trusted = List.copyOf(trusted);
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("a cert role trusts at least one certificate");
        }
        allowedCommonNames = List.copyOf(allowedCommonNames);
        Objects.requireNonNull(tokenSpec, "tokenSpec");
    }

    /** A role trusting the certificates of the PEM file {@code certificatePem} (a CA's, say), any common name. */
    public static CertRole of(String name, Path certificatePem, TokenSpec tokenSpec) {
        return new CertRole(name, read(certificatePem), List.of(), tokenSpec);
    }

    /** This role, accepting only certificates with one of these common names. */
    public CertRole withAllowedCommonNames(String... commonNames) {
        return new CertRole(name, trusted, List.of(commonNames), tokenSpec);
    }

    private static List<X509Certificate> read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + " holds no valid PEM certificate", e);
        }
    }
}
