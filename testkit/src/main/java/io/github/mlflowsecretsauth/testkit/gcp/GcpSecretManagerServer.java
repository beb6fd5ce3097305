package io.github.mlflowsecretsauth.testkit.gcp;

import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;

import io.github.mlflowsecretsauth.testkit.tls.SelfSignedCertificate;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Google Secret Manager for tests, with the token endpoints Application Default Credentials
 * use, so the real Google auth library and a REST client talk to it unchanged:
 * <ul>
 *   <li>{@code GET /v1/projects/P/secrets/S/versions/V:access} (and the regional
 *       {@code projects/P/locations/L/...} form): {@code latest}, version numbers and aliases;
 *       {@code payload.data} base64 and {@code payload.dataCrc32c} as a decimal string; versions
 *       enabled, disabled or destroyed ({@code FAILED_PRECONDITION}); {@code NOT_FOUND},
 *       {@code PERMISSION_DENIED} per account and secret, {@code UNAUTHENTICATED} for a token that
 *       was not issued here or has expired, and injected {@link GcpFault}s (429, 503, 500);</li>
 *   <li>{@code POST /token}: the JWT-bearer grant of a service-account key file whose
 *       {@code token_uri} points here ({@link #writeKeyFile}); the RS256 assertion is verified with
 *       the account's public key;</li>
 *   <li>the metadata server's {@code /computeMetadata/v1/instance/service-accounts/default/token}
 *       (point {@code GCE_METADATA_HOST} at {@link #metadataHost()});</li>
 *   <li>Google-signed ID tokens ({@link #idTokenKey()}, {@code aud} the requested audience, {@code exp} after the
 *       token lifetime): from the token endpoint for a {@code target_audience} assertion, the metadata server's
 *       {@code .../default/identity?audience=}, and IAM credentials' {@code serviceAccounts/E:generateIdToken}.</li>
 * </ul>
 * Access tokens are opaque, bound to an account and valid for {@link #tokenLifetime(Duration)} by the
 * server's clock. Every request is recorded ({@link #calls()}).
 *
 * <p>Listens on an ephemeral port of 127.0.0.1, plain HTTP; with {@link Builder#tls(boolean)} also on a
 * second port over HTTPS with a self-signed certificate for 127.0.0.1 ({@link #httpsEndpoint()},
 * {@link #certificatePem()}), while the token endpoints stay on the plain port. Thread-safe: every method may be called
 * while Jetty serves requests.
 */
public final class GcpSecretManagerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GcpSecretManagerServer.class);

    private final Server server;
    private final Stalls stalls;
    private final GcpState state;
    private final URI endpoint;
    private final URI httpsEndpoint;
    private final SelfSignedCertificate certificate;

    private GcpSecretManagerServer(Server server, GcpState state, URI endpoint, URI httpsEndpoint, SelfSignedCertificate certificate, Stalls stalls) {
        this.stalls = stalls;
        this.server = server;
        this.state = state;
        this.endpoint = endpoint;
        this.httpsEndpoint = httpsEndpoint;
        this.certificate = certificate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Secret Manager endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The HTTPS endpoint of a server started with {@code tls(true)}. */
    public URI httpsEndpoint() {
        if (httpsEndpoint == null) {
            throw new IllegalStateException("this server was started without tls(true)");
        }
        return httpsEndpoint;
    }

    /** The PEM certificate the HTTPS endpoint serves, for a client's trusted CAs. */
    public Path certificatePem() {
        httpsEndpoint();
        return certificate.pemCertificate();
    }

    /** The OAuth2 token endpoint, for a key file's {@code token_uri}. */
    public URI tokenUri() {
        return endpoint.resolve(GcpHandler.TOKEN_PATH);
    }

    /** {@code host:port} for {@code GCE_METADATA_HOST}. */
    public String metadataHost() {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    public String projectId() {
        return state.projectId;
    }

    /** The project number, which Secret Manager puts in the resource names it answers. */
    public String projectNumber() {
        return state.projectNumber;
    }

    /** The e-mail of the account the metadata server hands tokens out for. */
    public String computeServiceAccount() {
        return state.computeAccount;
    }

    /** Creates a service account {@code <name>@<project>.iam.gserviceaccount.com} with a new RSA key. */
    public ServiceAccount createServiceAccount(String name) {
        ServiceAccount a = ServiceAccount.generate(name, state.projectId);
        state.addAccount(a);
        return a;
    }

    /** Gives the account a new key: assertions signed with its old key file fail ({@code Invalid JWT Signature}). */
    public ServiceAccount rotateKey(ServiceAccount account) {
        ServiceAccount fresh = account.withNewKey();
        state.addAccount(fresh);
        return fresh;
    }

    /** Writes the account's key file with {@code token_uri} pointing at this server. */
    public Path writeKeyFile(ServiceAccount account, Path file) {
        return account.writeKeyFile(file, tokenUri());
    }

    /** Adds a version holding the UTF-8 bytes of {@code value}, creating the secret if needed; returns its number. */
    public int addVersion(String secret, String value) {
        return addVersion(secret, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a version holding {@code data}; returns its number (1, 2, ...). {@code latest} now names it. */
    public int addVersion(String secret, byte[] data) {
        return state.secrets.add(secret, data, state.clock.instant());
    }

    /** Enables, disables or destroys a version (a destroyed version stays destroyed). */
    public void setVersionState(String secret, int version, VersionState newState) {
        state.secrets.setState(secret, version, Objects.requireNonNull(newState));
    }

    /** Points a user-defined alias (e.g. {@code prod}) at a version. */
    public void setAlias(String secret, String alias, int version) {
        state.secrets.alias(secret, alias, version);
    }

    /** Denies (or allows again) {@code secretmanager.versions.access} on the secret to the account. */
    public void deny(String email, String secret, boolean deny) {
        state.deny(email, secret, deny);
    }

    /** The next {@code count} authenticated {@code :access} calls fail with {@code fault}; replaces earlier ones. */
    public void failNext(int count, GcpFault fault) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        state.failNext(count, Objects.requireNonNull(fault));
    }

    /** Sends a wrong {@code dataCrc32c} (the right one plus one) from now on, or the right one again. */
    public void corruptChecksums(boolean corrupt) {
        state.corruptChecksums = corrupt;
    }

    /** Whether payloads carry {@code dataCrc32c} at all (default true). */
    public void sendChecksums(boolean send) {
        state.sendChecksums = send;
    }

    /** How long tokens issued from now on are valid ({@code expires_in}); default one hour. */
    public void tokenLifetime(Duration lifetime) {
        state.tokenLifetime = Objects.requireNonNull(lifetime);
    }

    /** Makes every token issued so far expired: {@code :access} with one gets 401 {@code UNAUTHENTICATED}. */
    public void expireIssuedTokens() {
        state.expireAllTokens();
    }

    /** Every request since start or {@link #resetCalls()}, oldest first. */
    public List<GcpCall> calls() {
        return state.calls();
    }

    public List<GcpCall> calls(GcpCall.Kind kind) {
        return state.calls().stream().filter(c -> c.kind() == kind).toList();
    }

    /** How many {@code :access} calls arrived. */
    public int accessCount() {
        return calls(GcpCall.Kind.ACCESS).size();
    }

    /** How many access tokens were issued (both token endpoints). */
    public int tokensIssued() {
        return (int) state.calls().stream().filter(c -> (c.kind() == GcpCall.Kind.TOKEN || c.kind() == GcpCall.Kind.METADATA_TOKEN)
                && c.succeeded()).count();
    }

    /** How many ID tokens were issued (token endpoint, metadata server, IAM credentials). */
    public int idTokensIssued() {
        return (int) state.calls().stream().filter(c -> (c.kind() == GcpCall.Kind.ID_TOKEN || c.kind() == GcpCall.Kind.METADATA_ID_TOKEN
                || c.kind() == GcpCall.Kind.GENERATE_ID_TOKEN) && c.succeeded()).count();
    }

    /** The key that signs the ID tokens ({@code iss} {@value IdTokens#ISSUER}), to check them as IAP would. */
    public io.github.mlflowsecretsauth.testkit.jwt.TokenKey idTokenKey() {
        return state.idTokens.key;
    }

    /**
     * The ID token this server issues now for the account and audience. RS256 signatures are deterministic, so
     * with a clock that has not moved it equals the token a client was given, e.g. in a forked JVM.
     */
    public String idTokenFor(String email, String audience) {
        IdTokenEndpoints endpoints = new IdTokenEndpoints(state);
        return endpoints.issue(email, endpoints.subjectOf(email), audience);
    }

    /** Issues ID tokens without {@code exp} from now on (a broken issuer), or with it again. */
    public void idTokensWithoutExp(boolean without) {
        state.idTokens.withoutExp = without;
    }

    /** The next {@code count} ID-token requests (any of the three endpoints) fail with {@code fault}; replaces earlier ones. */
    public void failNextIdTokens(int count, GcpFault fault) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        state.idTokens.failNext(count, Objects.requireNonNull(fault));
    }

    public void resetCalls() {
        state.clearCalls();
    }

    /** Stalls to inject: answers cut after the headers, or never sent ({@link io.github.mlflowsecretsauth.testkit.fault.StallMode}). */
    public Stalls stalls() {
        return stalls;
    }

    /** Stops listening; safe to call twice. */
    @Override
    public void close() {
        LoopbackJetty.stop(server, "the GCP testkit", certificate);
    }

    @Override
    public String toString() {
        return "GcpSecretManagerServer[" + endpoint + ", project " + state.projectId + "]";
    }

    /** Configures and starts a {@link GcpSecretManagerServer}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private String projectId = "mlflow-prod";
        private String projectNumber = "123456789012";
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofHours(1);
        private boolean tls;

        private Builder() {
        }

        /** Also serve Secret Manager over HTTPS, with a self-signed certificate generated at start-up. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = LoopbackJetty.checkPort(port);
            return this;
        }

        /** The project id (default {@code mlflow-prod}) and number (default {@code 123456789012}). */
        public Builder project(String id, String number) {
            this.projectId = Objects.requireNonNull(id);
            this.projectNumber = Objects.requireNonNull(number);
            return this;
        }

        /**
         * The server's clock, for token expiry and JWT {@code iat}/{@code exp} checks. The Google auth
         * library signs with the real time, so keep the default unless the test controls both.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long issued access tokens are valid (default one hour). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime);
            return this;
        }

        /**
         * Starts the server; it is listening when this returns.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public GcpSecretManagerServer start() {
            Server server = LoopbackJetty.newServer("gcp-testkit");
            Stalls stalls = new Stalls();
            SelfSignedCertificate certificate = null;
            try {
                HttpConfiguration http = LoopbackJetty.httpConfiguration(false);
                ServerConnector connector = LoopbackJetty.http(server, http, port);
                GcpState state = new GcpState(clock, projectId, projectNumber,
                        projectNumber + "-compute@developer.gserviceaccount.com", tokenLifetime);
                // The port, part of the token URI (an accepted JWT audience), is known only once listening.
                GcpHandler handler = new GcpHandler(state, () -> "http://127.0.0.1:" + connector.getLocalPort() + GcpHandler.TOKEN_PATH);
                server.setHandler(stalls.around(handler));
                ServerConnector secure = null;
                if (tls) {
                    certificate = SelfSignedCertificate.generate();
                    secure = LoopbackJetty.https(server, http, certificate.newSslContextFactory(), 0);
                }
                server.start();
                URI endpoint = LoopbackJetty.uri("http", connector);
                URI httpsEndpoint = secure == null ? null : LoopbackJetty.uri("https", secure);
                LOG.info("GCP testkit (Secret Manager, OAuth2 token, metadata token) listening on {}{} for project {}", endpoint,
                        httpsEndpoint == null ? "" : " and " + httpsEndpoint, projectId);
                return new GcpSecretManagerServer(server, state, endpoint, httpsEndpoint, certificate, stalls);
            } catch (Exception e) {
                throw LoopbackJetty.failed(server, "the GCP testkit", e, certificate);
            }
        }
    }
}
