package io.github.mlflowsecretsauth.testkit.azure;

import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;

import io.github.mlflowsecretsauth.testkit.tls.CertificateAuthority;
import io.github.mlflowsecretsauth.testkit.tls.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Azure Key Vault over HTTPS that the real Azure SDK for Java talks to unchanged: the secrets
 * data plane ({@code GET /secrets/{name}/}, {@code /secrets/{name}/{version}}, {@code /secrets/{name}/versions},
 * with {@code api-version}) behind Key Vault's Bearer challenge, and, on the same port, Entra ID's token
 * endpoint ({@code POST /{tenant}/oauth2/v2.0/token}, client-credentials grant with a client secret, a
 * certificate-signed client assertion or a federated one), so {@code DefaultAzureCredential} can run offline with
 * {@code AZURE_AUTHORITY_HOST} pointed here.
 *
 * <p>At start-up it makes a throw-away certificate authority ({@link CertificateAuthority}) and a server
 * certificate for {@code 127.0.0.1} and {@code localhost}; clients trust {@link #caCertificatePem()}
 * through their own configuration. The SDK caches a vault's challenge per host and port for the whole
 * JVM, so start a new server (a new port) per test.
 *
 * <pre>{@code
 * try (AzureKeyVaultServer kv = AzureKeyVaultServer.builder().start()) {
 *     kv.addServicePrincipal("app-id", "app-secret");
 *     String v1 = kv.setSecret("mlflow-auth", "{\"token\":\"t1\"}");
 *     ... AZURE_KEY_VAULT_URL=kv.vaultUrl(), AZURE_AUTHORITY_HOST=kv.authorityHost(), AZURE_TENANT_ID=kv.tenantId() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: every method may be called while Jetty serves requests. Token lifetimes follow the
 * builder's {@link Clock}.
 */
public final class AzureKeyVaultServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AzureKeyVaultServer.class);

    private final Server server;
    private final Stalls stalls;
    private final KeyVaultState state;
    private final CertificateAuthority ca;
    private final URI address;

    private AzureKeyVaultServer(Server server, KeyVaultState state, CertificateAuthority ca, URI address, Stalls stalls) {
        this.stalls = stalls;
        this.server = server;
        this.state = state;
        this.ca = ca;
        this.address = address;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What {@code AZURE_KEY_VAULT_URL} holds, e.g. {@code https://127.0.0.1:41234}. */
    public URI vaultUrl() {
        return address;
    }

    /** The Entra ID authority host ({@code AZURE_AUTHORITY_HOST}): this same server. */
    public URI authorityHost() {
        return address;
    }

    /** The tenant whose token endpoint this server serves, and which its challenge names. */
    public String tenantId() {
        return state.tenantId;
    }

    /** The PEM certificate of the CA that issued the server's certificate: what clients must trust. */
    public Path caCertificatePem() {
        return ca.certificatePem();
    }

    /** Registers an app that may get tokens with {@code clientSecret}. */
    public void addServicePrincipal(String clientId, String clientSecret) {
        state.tokens.addClientSecret(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
    }

    /**
     * Registers an app that may get tokens with a client assertion signed by the key of the certificate in
     * {@code certificatePem} (a service principal with a certificate).
     */
    public void addCertificatePrincipal(String clientId, java.nio.file.Path certificatePem) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(certificatePem)) {
            state.tokens.addCertificate(Objects.requireNonNull(clientId), (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read a certificate from " + certificatePem, e);
        }
    }

    /** Registers an app that may get tokens with the client assertion {@code assertion} (a workload identity's federated token). */
    public void addFederatedIdentity(String clientId, String assertion) {
        state.tokens.addFederatedAssertion(Objects.requireNonNull(clientId), Objects.requireNonNull(assertion));
    }

    /**
     * Registers an app registration's API by its application ID URI (e.g. {@code api://<app-id>}): its
     * {@code <uri>/.default} scope then gets RS256 JWT access tokens with that URI as {@code aud}, which
     * {@link #verifyApiToken(String)} checks.
     */
    public void addApiResource(String applicationIdUri) {
        state.addApiResource(Objects.requireNonNull(applicationIdUri));
    }

    /**
     * The claims of an API access token this server issued, if its signature is this server's and it has not
     * expired on the server's clock, nor been revoked.
     */
    public Optional<com.nimbusds.jwt.JWTClaimsSet> verifyApiToken(String token) {
        return state.tokens.check(token) == EntraTokens.Verdict.VALID ? state.apiTokenKey().verify(token) : Optional.empty();
    }

    /** The {@code iss} of the API access tokens: {@code <authority>/<tenant>/v2.0}, as Entra ID's v2.0 tokens carry. */
    public String apiTokenIssuer() {
        return state.authority() + "/" + state.tenantId + "/v2.0";
    }

    /** The JWKS (public keys) that verifies the API access tokens, for a front that checks them itself. */
    public String apiTokenJwks() {
        return state.apiTokenKey().jwksJson();
    }

    /** Issues an access token for {@code clientId} directly, as for a {@code TokenCredential} a test supplies. */
    public String issueToken(String clientId) {
        return state.tokens.issue(Objects.requireNonNull(clientId));
    }

    /** Sets a new version of {@code name} (the new latest) and returns its version id. */
    public String setSecret(String name, String value) {
        return setSecret(name, value, null);
    }

    /** Like {@link #setSecret(String, String)}, with a content type such as {@code application/json}. */
    public String setSecret(String name, String value, String contentType) {
        return state.secrets.set(Objects.requireNonNull(name), Objects.requireNonNull(value), contentType, state.clock.instant());
    }

    /** The latest version id of {@code name}, if the secret exists. */
    public Optional<String> latestVersion(String name) {
        List<SecretVersionEntry> all = state.secrets.versions(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1).version());
    }

    /** Every version id of {@code name}, oldest first. */
    public List<String> versions(String name) {
        return state.secrets.versions(name).stream().map(SecretVersionEntry::version).toList();
    }

    /**
     * Enables or disables one version ({@code version} null for the latest): reading a disabled one gets
     * 403 {@code Forbidden} with innererror {@code SecretDisabled}.
     */
    public void setEnabled(String name, String version, boolean enabled) {
        state.secrets.setEnabled(name, version, enabled, state.clock.instant());
    }

    /** Denies {@code clientId} reading {@code secretName} (403 {@code Forbidden}, innererror {@code ForbiddenByRbac}), or allows it again. */
    public void deny(String clientId, String secretName, boolean deny) {
        state.deny(clientId, secretName, deny);
    }

    /** Revokes every token issued to {@code clientId}: requests with them get the 401 challenge again. */
    public int revokeTokens(String clientId) {
        return state.tokens.revokeAll(clientId);
    }

    /** Expires every token issued so far. */
    public void expireTokens() {
        state.tokens.expireAll();
    }

    /**
     * The next {@code count} authenticated vault requests get 429 {@code Throttled} with
     * {@code Retry-After: retryAfterSeconds}; replaces any earlier fault.
     */
    public void throttleNext(int count, int retryAfterSeconds) {
        state.failNext(count, new KeyVaultState.Fault(429, "Throttled", "Request was not processed because too many requests were "
                + "received. Reason: VaultRequestTypeLimitReached", retryAfterSeconds, null));
    }

    /** The next {@code count} authenticated vault requests get {@code status} with Key Vault's error JSON; replaces any earlier fault. */
    public void failNext(int count, int status, String code) {
        state.failNext(count, new KeyVaultState.Fault(status, code, "injected failure", -1, null));
    }

    /** The next {@code count} authenticated vault requests get {@code 302 Found} to {@code location}; replaces any earlier fault. */
    public void redirectNext(int count, URI location) {
        state.failNext(count, new KeyVaultState.Fault(302, "Redirect", "moved", -1, location.toString()));
    }

    /** Every request since start or {@link #resetRequests()}, oldest first. */
    public List<KeyVaultRequest> requests() {
        return state.requests();
    }

    /** Requests to the vault (not the token endpoint) that were answered 200. */
    public long secretReads() {
        return requests().stream().filter(r -> !r.isTokenRequest() && r.status() == 200).count();
    }

    /** Requests to the token endpoint. */
    public long tokenRequests() {
        return requests().stream().filter(KeyVaultRequest::isTokenRequest).count();
    }

    public void resetRequests() {
        state.clearRequests();
    }

    /** Stalls to inject: answers cut after the headers, or never sent ({@link io.github.mlflowsecretsauth.testkit.fault.StallMode}). */
    public Stalls stalls() {
        return stalls;
    }

    /** Stops listening and deletes the CA's files; safe to call twice. */
    @Override
    public void close() {
        LoopbackJetty.stop(server, "the Key Vault testkit", ca);
    }

    @Override
    public String toString() {
        return "AzureKeyVaultServer[" + address + ", tenant " + state.tenantId + "]";
    }

    /** Configures and starts an {@link AzureKeyVaultServer}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private String tenantId = "7b3c1a52-5d1e-4f0a-9c35-2f4e0d6a8b91";
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofHours(1);
        private URI challengeAuthority;

        private Builder() {
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = LoopbackJetty.checkPort(port);
            return this;
        }

        /** The directory (tenant) id; a fixed GUID by default. */
        public Builder tenantId(String tenantId) {
            this.tenantId = Objects.requireNonNull(tenantId);
            return this;
        }

        /** The clock token expiry and secret timestamps follow (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long issued tokens live (default one hour, as Entra ID's). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime);
            return this;
        }

        /** The login host the 401 challenge names (default: this server, which also serves the token endpoint). */
        public Builder challengeAuthority(URI authority) {
            this.challengeAuthority = Objects.requireNonNull(authority);
            return this;
        }

        /**
         * Starts the server; it is listening when this returns.
         *
         * @throws UncheckedIOException if the certificates cannot be made or the port bound
         */
        public AzureKeyVaultServer start() {
            KeyVaultState state = new KeyVaultState(clock, tenantId, tokenLifetime);
            CertificateAuthority ca = CertificateAuthority.create("Key Vault testkit CA");
            Server server = LoopbackJetty.newServer("keyvault-testkit");
            Stalls stalls = new Stalls();
            try {
                IssuedCertificate certificate = ca.serverCertificate();
                byte[] pw = new byte[12];
                new SecureRandom().nextBytes(pw);
                String password = HexFormat.of().formatHex(pw);
                SslContextFactory.Server tls = new SslContextFactory.Server();
                tls.setKeyStorePath(certificate.pkcs12(password).toString());
                tls.setKeyStoreType("PKCS12");
                tls.setKeyStorePassword(password);
                ServerConnector connector = LoopbackJetty.https(server, LoopbackJetty.httpConfiguration(false), tls, port);
                server.setHandler(stalls.around(new KeyVaultHandler(state)));
                server.start();
                URI address = LoopbackJetty.uri("https", connector);
                state.vaultUrl(address.toString());
                state.authority((challengeAuthority == null ? address : challengeAuthority).toString().replaceAll("/+$", ""));
                LOG.info("Azure Key Vault testkit listening on {} (tenant {})", address, tenantId);
                return new AzureKeyVaultServer(server, state, ca, address, stalls);
            } catch (Exception e) {
                throw LoopbackJetty.failed(server, "the Key Vault testkit", e, ca);
            }
        }
    }
}
