package io.github.mlflowsecretsauth.testkit.oauth;

import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.tls.SelfSignedCertificate;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local OAuth 2.0 authorization server for the client-credentials grant (RFC 6749 §4.4), laid out like a
 * Keycloak realm: OIDC discovery at {@code <issuer>/.well-known/openid-configuration}, a JWKS, a token endpoint that
 * authenticates clients with {@code client_secret_basic}, {@code client_secret_post} or {@code private_key_jwt}
 * (RFC 7523) and records the {@code scope}, {@code audience} and {@code resource} asked for, and a validation
 * endpoint for an nginx {@code auth_request}. Access tokens are RS256 JWTs signed by one {@link TokenKey}
 * (or opaque, see {@link #tokenFormat}), valid for {@link #tokenLifetime} by the server's clock and announced with
 * {@code expires_in}. Errors are RFC 6749 §5.2 answers ({@code invalid_client} 401, {@code invalid_scope},
 * {@code unauthorized_client}, {@code unsupported_grant_type}, {@code invalid_request} 400); faults are injected
 * failures ({@link #failNext}) and {@link #stalls()}.
 *
 * <p>Listens on an ephemeral port of 127.0.0.1, plain HTTP, or HTTPS only with {@link Builder#tls(boolean)}
 * (a self-signed certificate for 127.0.0.1, {@link #certificatePem()}). Thread-safe: every method may be called
 * while Jetty serves requests.
 */
public final class OAuthTokenServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenServer.class);

    private final Server server;
    private final OAuthState state;
    private final OAuthHandler handler;
    private final URI base;
    private final Stalls stalls;
    private final SelfSignedCertificate certificate;

    private OAuthTokenServer(Server server, OAuthState state, OAuthHandler handler, URI base, Stalls stalls,
                             SelfSignedCertificate certificate) {
        this.server = server;
        this.state = state;
        this.handler = handler;
        this.base = base;
        this.stalls = stalls;
        this.certificate = certificate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's root, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return base;
    }

    /** The issuer, e.g. {@code http://127.0.0.1:41234/realms/mlflow}: what {@code MLFLOW_OAUTH2_ISSUER_URL} names. */
    public URI issuer() {
        return URI.create(handler.issuer());
    }

    public URI tokenEndpoint() {
        return URI.create(handler.issuer() + OAuthHandler.TOKEN);
    }

    public URI discoveryUri() {
        return URI.create(handler.issuer() + OAuthHandler.DISCOVERY);
    }

    public URI jwksUri() {
        return URI.create(handler.issuer() + OAuthHandler.CERTS);
    }

    /** The token introspection endpoint (RFC 7662, Keycloak's path and answer), for an audience-checking front. */
    public URI introspectionUri() {
        return URI.create(handler.issuer() + OAuthHandler.INTROSPECT);
    }

    /**
     * The token check for a front such as nginx's {@code auth_request}: {@code GET} with the request's
     * {@code Authorization} answers 200 for a valid, unexpired token of this issuer carrying {@code audience}
     * ({@code null}: any), 401 otherwise.
     */
    public URI validationUri(String audience) {
        return URI.create(base + OAuthHandler.VALIDATE + (audience == null ? ""
                : "?audience=" + java.net.URLEncoder.encode(audience, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The PEM certificate of a server started with {@code tls(true)}, for a client's CA bundle. */
    public Path certificatePem() {
        if (certificate == null) {
            throw new IllegalStateException("this server was started without tls(true)");
        }
        return certificate.pemCertificate();
    }

    /** The key that signs the access tokens (its public half is at {@link #jwksUri()}). */
    public TokenKey signingKey() {
        return state.key;
    }

    /** Registers a confidential client that authenticates with {@code secret}, allowed to ask for {@code scopes}. */
    public OAuthClient registerClient(String clientId, String secret, Set<String> scopes) {
        return put(new OAuthClient(clientId, Optional.of(secret), Optional.empty(), scopes, true));
    }

    /** Registers a {@code private_key_jwt} client whose assertions must verify with {@code publicKey} (RSA: RS256, EC: ES256). */
    public OAuthClient registerKeyClient(String clientId, PublicKey publicKey, Set<String> scopes) {
        return put(new OAuthClient(clientId, Optional.empty(), Optional.of(publicKey), scopes, true));
    }

    /** Allows or forbids the client the client-credentials grant ({@code unauthorized_client} when forbidden). */
    public void allowGrant(String clientId, boolean allowed) {
        state.clients.computeIfPresent(clientId, (k, c) -> c.withGrantAllowed(allowed));
    }

    /** Changes a client's secret, as a rotation at the IdP: the old secret is refused from now on. */
    public void rotateSecret(String clientId, String newSecret) {
        state.clients.computeIfPresent(clientId, (k, c) -> new OAuthClient(c.id(), Optional.of(newSecret), c.publicKey(),
                c.allowedScopes(), c.grantAllowed()));
    }

    private OAuthClient put(OAuthClient c) {
        state.clients.put(c.id(), c);
        return c;
    }

    /** How long tokens issued from now on are valid. */
    public void tokenLifetime(Duration lifetime) {
        state.tokenLifetime = Objects.requireNonNull(lifetime);
    }

    /** Whether token answers carry {@code expires_in} (default true). */
    public void sendExpiresIn(boolean send) {
        state.sendExpiresIn = send;
    }

    /** What kind of access token to issue from now on (default {@link TokenFormat#JWT}). */
    public void tokenFormat(TokenFormat format) {
        state.format = Objects.requireNonNull(format);
    }

    /** The {@code aud} of tokens whose request names neither {@code audience} nor {@code resource}; null: none. */
    public void defaultAudience(String audience) {
        state.defaultAudience = Optional.ofNullable(audience);
    }

    /** The next {@code count} token requests are answered with {@code status} ({@code temporarily_unavailable}). */
    public void failNext(int count, int status) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        state.failNext(count, status);
    }

    /** Every token request since start or {@link #resetRequests()}, oldest first. */
    public List<TokenRequest> tokenRequests() {
        return state.requests();
    }

    /** How many tokens were issued. */
    public int tokensIssued() {
        return (int) state.requests().stream().filter(TokenRequest::succeeded).count();
    }

    public void resetRequests() {
        state.clearRequests();
    }

    /** Stalls to inject (path prefixes such as {@code tokenEndpoint().getPath()}). */
    public Stalls stalls() {
        return stalls;
    }

    /** Stops listening; safe to call twice. */
    @Override
    public void close() {
        stalls.release();
        LoopbackJetty.stop(server, "the OAuth testkit", certificate);
    }

    @Override
    public String toString() {
        return "OAuthTokenServer[" + handler.issuer() + "]";
    }

    /** Configures and starts an {@link OAuthTokenServer}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofMinutes(5);
        private String realm = "mlflow";
        private boolean tls;

        private Builder() {
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = LoopbackJetty.checkPort(port);
            return this;
        }

        /** The server's clock, for {@code iat}, {@code exp}, assertion expiry and validation. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long issued tokens are valid (default five minutes). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime);
            return this;
        }

        /** The realm in the issuer's path, {@code /realms/<realm>} (default {@code mlflow}). */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm);
            return this;
        }

        /** Serve HTTPS only, with a self-signed certificate generated at start-up. */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Starts the server; it is listening when this returns. */
        public OAuthTokenServer start() {
            Server server = LoopbackJetty.newServer("oauth-testkit");
            Stalls stalls = new Stalls();
            SelfSignedCertificate certificate = null;
            try {
                OAuthState state = new OAuthState(clock, TokenKey.generate("oauth-testkit-1"), tokenLifetime);
                String scheme = tls ? "https" : "http";
                ServerConnector connector;
                if (tls) {
                    certificate = SelfSignedCertificate.generate();
                    connector = LoopbackJetty.https(server, LoopbackJetty.httpConfiguration(false), certificate.newSslContextFactory(), port);
                } else {
                    connector = LoopbackJetty.http(server, LoopbackJetty.httpConfiguration(false), port);
                }
                // The port, part of the issuer and of the accepted assertion audience, is known only once listening.
                OAuthHandler handler = new OAuthHandler(state, "/realms/" + realm, () -> scheme + "://127.0.0.1:" + connector.getLocalPort());
                server.setHandler(stalls.around(handler));
                server.start();
                URI base = LoopbackJetty.uri(scheme, connector);
                LOG.info("OAuth testkit (client credentials, discovery, JWKS) listening on {}, issuer {}", base, handler.issuer());
                return new OAuthTokenServer(server, state, handler, base, stalls, certificate);
            } catch (Exception e) {
                throw LoopbackJetty.failed(server, "the OAuth testkit", e, certificate);
            }
        }
    }
}
