package io.github.mlflowsecretsauth.testkit.vault;

import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;

import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import io.github.mlflowsecretsauth.testkit.tls.SelfSignedCertificate;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server speaking enough of HashiCorp Vault's HTTP API for a real Vault client to work
 * against it unchanged: KV v1 and v2 secrets, {@code sys/internal/ui/mounts}, {@code sys/health},
 * AppRole, Kubernetes, JWT, userpass/LDAP and TLS certificate logins, token lookup-self and renew-self, policy path
 * globs, namespaces, optional TLS (asking clients for a certificate), and fault injection. Token lifetimes follow the {@link Clock} given to the builder, so tests can
 * advance time instead of sleeping.
 *
 * <p>Start one with {@code VaultServer.builder().start()}; close it to stop listening. By default
 * it listens on an ephemeral port of 127.0.0.1, has root token {@code root} and one mount,
 * {@code secret/} (KV v2).
 *
 * <p>Thread-safe: every method may be called from any thread while Jetty serves requests.
 */
public final class VaultServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VaultServer.class);

    private final Server server;
    private final Stalls stalls;
    private final VaultState state;
    private final SelfSignedCertificate certificate;
    private final URI address;

    private VaultServer(Server server, VaultState state, SelfSignedCertificate certificate, URI address, Stalls stalls) {
        this.stalls = stalls;
        this.server = server;
        this.state = state;
        this.certificate = certificate;
        this.address = address;
    }

    /** A builder with the defaults described on the class. */
    public static Builder builder() {
        return new Builder();
    }

    /** Base address, such as {@code http://127.0.0.1:8200} (https with TLS); what VAULT_ADDR holds. */
    public URI address() {
        return address;
    }

    /** The port the server listens on. */
    public int port() {
        return address.getPort();
    }

    /** The root token: never expires, allowed everything, in the root namespace. */
    public String rootToken() {
        return state.rootToken;
    }

    /** Whether the server speaks HTTPS. */
    public boolean tls() {
        return certificate != null;
    }

    /**
     * The PEM file of the self-signed certificate a client must trust (VAULT_CACERT).
     *
     * @throws IllegalStateException if the server was not started with TLS
     */
    public Path caCertificatePem() {
        if (certificate == null) {
            throw new IllegalStateException("this Vault server was started without tls(true)");
        }
        return certificate.pemCertificate();
    }

    /**
     * Writes a secret in the root namespace, as {@code vault kv put} would: {@code path} is
     * {@code <mount>/<key>} without {@code data/} (e.g. {@code secret/mlflow/auth}).
     *
     * @return the new version for a KV v2 mount, 0 for KV v1
     * @throws IllegalArgumentException if no mount holds the path
     */
    public int putSecret(String path, Map<String, ?> data) {
        return putSecret("", path, data);
    }

    /** Like {@link #putSecret(String, Map)}, in a declared namespace. */
    public int putSecret(String namespace, String path, Map<String, ?> data) {
        NamespaceState.MountMatch match = state.requireNamespace(namespace).requireMount(path);
        return match.mount().put(match.relative(), JsonHttp.MAPPER.valueToTree(Objects.requireNonNull(data)),
                state.clock.instant());
    }

    /** Removes a secret and all its versions in the root namespace; {@code false} if there was none. */
    public boolean deleteSecret(String path) {
        return deleteSecret("", path);
    }

    /** Like {@link #deleteSecret(String)}, in a declared namespace. */
    public boolean deleteSecret(String namespace, String path) {
        NamespaceState.MountMatch match = state.requireNamespace(namespace).requireMount(path);
        return match.mount().delete(match.relative());
    }

    /** Issues a token (path {@code auth/token/create}) and returns its id. */
    public String createToken(TokenSpec spec) {
        state.requireNamespace(spec.namespace());
        return state.tokens.issue(spec, "auth/token/create", "token", null, false).id;
    }

    /**
     * Enables an AppRole in {@code tokenSpec}'s namespace: logging in at {@code auth/approle/login}
     * with {@code roleId} and {@code secretId} issues a token shaped by {@code tokenSpec}.
     */
    public void addAppRole(String roleName, String roleId, String secretId, TokenSpec tokenSpec) {
        state.requireNamespace(tokenSpec.namespace())
                .addAppRole(new NamespaceState.AppRole(roleName, roleId, secretId, tokenSpec));
    }

    /**
     * Enables (or adds a role to) a {@code kubernetes} auth mount whose service-account tokens {@code issuer} signs:
     * {@code POST auth/<mount>/login} with {@code {"role","jwt"}} checks signature, expiry, the role's bound
     * service-account names and namespaces (and audience, if bound) and issues a token of the role's spec.
     */
    public void addKubernetesRole(String mount, io.github.mlflowsecretsauth.testkit.jwt.TokenKey issuer, JwtRole role) {
        state.logins.addRole("kubernetes", mount, issuer, role);
    }

    /**
     * Enables (or adds a role to) a {@code jwt} auth mount trusting {@code issuer}'s key (as {@code jwt_validation_pubkeys}
     * or a JWKS would): {@code POST auth/<mount>/login} checks signature, expiry, audience, subject and bound claims.
     */
    public void addJwtRole(String mount, io.github.mlflowsecretsauth.testkit.jwt.TokenKey issuer, JwtRole role) {
        state.logins.addRole("jwt", mount, issuer, role);
    }

    /**
     * Enables (or reconfigures) an {@code aws} auth mount ({@code iam} type) whose logins STS answers for the principals of
     * {@code config}: {@code POST auth/<mount>/login} decodes the signed {@code sts:GetCallerIdentity}, checks the
     * server-id header if {@code config} requires one, verifies the signature as STS would and matches the caller's
     * ARN to the role's {@code bound_iam_principal_arn} ({@link #addAwsRole}).
     */
    public void configureAwsAuth(String mount, AwsAuthConfig config) {
        state.awsLogins.configure(mount, config);
    }

    /** Adds a role to an {@code aws} mount enabled by {@link #configureAwsAuth}. */
    public void addAwsRole(String mount, AwsRole role) {
        state.awsLogins.addRole(mount, role);
    }

    /**
     * Adds a user to a {@code userpass} or {@code ldap} ({@code type}) mount: {@code POST auth/<mount>/login/<username>}
     * with {@code {"password"}} issues a token of {@code spec}.
     */
    public void addUser(String type, String mount, String username, String password, TokenSpec spec) {
        if (!type.equals("userpass") && !type.equals("ldap")) {
            throw new IllegalArgumentException("type must be userpass or ldap, not " + type);
        }
        state.logins.addUser(type, mount, username, password, spec);
    }

    /**
     * Enables (or adds a role to) a {@code cert} auth mount: {@code POST auth/<mount>/login}, over TLS, with an optional
     * {@code {"name": role}}, logs in the client certificate of the request's connection as the named role, or as the
     * first role (by name) that trusts it, and issues a token of the role's spec. Needs {@code tls(true)}, whose
     * listener asks every client for a certificate; see {@link RecordedRequest#clientCertificates()}.
     */
    public void addCertRole(String mount, CertRole role) {
        if (certificate == null) {
            throw new IllegalStateException("the cert login needs a Vault server started with tls(true)");
        }
        state.certs.addRole(mount, role);
    }

    /**
     * Wraps a secret id, as {@code vault write -wrap-ttl=... -f auth/approle/role/<name>/secret-id} does: returns the
     * single-use wrapping token that {@code sys/wrapping/unwrap} exchanges for {@code {"secret_id": ...}}.
     */
    public String wrapSecretId(String secretId, Duration ttl) {
        return state.wrapping.wrap(Map.of("secret_id", secretId, "secret_id_accessor", Ids.accessor(),
                "secret_id_ttl", 0, "secret_id_num_uses", 0), ttl);
    }

    /** Whether {@code token} exists and has not expired (a revoked one does not). */
    public boolean isTokenValid(String token) {
        return state.tokens.findValid(token).isPresent();
    }

    /** Revokes a token; {@code false} if it was unknown or already expired. */
    public boolean revokeToken(String token) {
        return state.tokens.revoke(token);
    }

    /** How many requests arrived since start or {@link #resetCounts()}. */
    public int requestCount() {
        return state.log.count();
    }

    /**
     * How many requests had a path starting with {@code pathPrefix}; a prefix without a leading
     * {@code /} is relative to {@code /v1/} ({@code "secret/data"} = {@code "/v1/secret/data"}).
     */
    public int requestCount(String pathPrefix) {
        return state.log.count(pathPrefix);
    }

    /** The requests received since start or {@link #resetCounts()}, oldest first. */
    public List<RecordedRequest> requests() {
        return state.log.snapshot();
    }

    /** Forgets the recorded requests. */
    public void resetCounts() {
        state.log.clear();
    }

    /**
     * Makes the next {@code count} requests to {@code /v1/} (except {@code sys/health}) answer
     * {@code status} with {@code {"errors":["injected failure"]}}; replaces any earlier setting.
     */
    public void failNext(int count, int status) {
        state.faults.failNext(count, status);
    }

    /**
     * Like {@link #failNext}, but the error text echoes what the client sent: {@code {"errors":["permission denied for
     * token <X-Vault-Token> on <path> with <body>"]}}, as a careless plugin or gateway in front of Vault may. The client
     * must not pass that text on.
     */
    public void failNextEchoing(int count, int status) {
        state.faults.failNextEchoing(count, status);
    }

    /**
     * When {@code false} the server acts sealed: every request answers 503
     * {@code {"errors":["Vault is sealed"]}} and {@code sys/health} reports {@code "sealed":true}.
     */
    public void setAvailable(boolean available) {
        state.faults.setAvailable(available);
    }

    /** Delays every answer by {@code latency} of real time ({@link Duration#ZERO} to stop). */
    public void setLatency(Duration latency) {
        state.faults.setLatency(Objects.requireNonNull(latency));
    }

    /** Stalls to inject: answers cut after the headers, or never sent ({@link io.github.mlflowsecretsauth.testkit.fault.StallMode}). */
    public Stalls stalls() {
        return stalls;
    }

    /** Stops the server and deletes the TLS files; safe to call twice. */
    @Override
    public void close() {
        LoopbackJetty.stop(server, "the Vault testkit", certificate);
    }

    @Override
    public String toString() {
        return "VaultServer[" + address + "]";
    }

    /**
     * Configures and starts a {@link VaultServer}.
     *
     * <p>Not thread-safe: configure it from one thread.
     */
    public static final class Builder {
        private int port;
        private String rootToken = "root";
        private Clock clock = Clock.systemUTC();
        private boolean tls;
        private final Map<String, Integer> mounts = new LinkedHashMap<>(Map.of("secret/", 2));
        private final Set<String> namespaces = new LinkedHashSet<>();

        private Builder() {}

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = LoopbackJetty.checkPort(port);
            return this;
        }

        /** The root token's id (default {@code root}). */
        public Builder rootToken(String rootToken) {
            if (rootToken == null || rootToken.isBlank()) {
                throw new IllegalArgumentException("root token must not be blank");
            }
            this.rootToken = rootToken;
            return this;
        }

        /** The clock token TTLs and timestamps follow (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * Serve HTTPS with a freshly generated self-signed certificate for localhost and 127.0.0.1. The listener asks
         * each client for a certificate (wanted, not needed, as Vault's listener does without
         * {@code tls_require_and_verify_client_cert}): clients without one connect as before, and the {@code cert}
         * login judges the one presented.
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Mounts a KV engine (version 1 or 2) at {@code mount} in every namespace; mounting
         * {@code secret} again changes its version.
         */
        public Builder kvMount(String mount, int version) {
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("KV version must be 1 or 2, not " + version);
            }
            mounts.put(KvMount.normalizePath(mount), version);
            return this;
        }

        /** Declares a namespace (Vault Enterprise), such as {@code team-a} or {@code team-a/child}. */
        public Builder namespace(String namespace) {
            String normalized = Namespaces.normalize(namespace);
            if (normalized.isEmpty()) {
                throw new IllegalArgumentException("namespace must not be empty");
            }
            namespaces.add(normalized);
            return this;
        }

        /**
         * Starts the server; it is listening when this returns.
         *
         * @throws UncheckedIOException if the certificate cannot be made or the port bound
         */
        public VaultServer start() {
            VaultState state = new VaultState(clock, rootToken, mounts, namespaces);
            SelfSignedCertificate certificate = null;
            Server server = LoopbackJetty.newServer("vault-testkit");
            Stalls stalls = new Stalls();
            try {
                HttpConfiguration http = LoopbackJetty.httpConfiguration(false);
                ServerConnector connector;
                if (tls) {
                    certificate = SelfSignedCertificate.generate();
                    connector = LoopbackJetty.https(server, http, certificate.newSslContextFactoryRequestingClientCertificates(), port);
                } else {
                    connector = LoopbackJetty.http(server, http, port);
                }
                server.setHandler(stalls.around(new VaultHandler(state)));
                server.start();
                URI address = LoopbackJetty.uri(tls ? "https" : "http", connector);
                LOG.info("Vault testkit listening on {}", address);
                return new VaultServer(server, state, certificate, address, stalls);
            } catch (Exception e) {
                throw LoopbackJetty.failed(server, "the Vault testkit", e, certificate);
            }
        }
    }
}
