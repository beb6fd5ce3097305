package io.github.mlflowsecretsauth.testkit.aws;

import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server speaking AWS Secrets Manager's JSON 1.1 protocol ({@code POST /},
 * {@code X-Amz-Target: secretsmanager.GetSecretValue | PutSecretValue | CreateSecret |
 * DescribeSecret | UpdateSecretVersionStage}) and STS's {@code GetCallerIdentity} (query protocol,
 * XML) on the same port, so the real AWS SDK talks to it unchanged through an endpoint override.
 *
 * <p>Every request's SigV4 signature is verified ({@link SigV4Verifier}) against the principals the
 * server knows, for the service called and the server's region. An unknown key gets
 * {@code UnrecognizedClientException} (STS: {@code InvalidClientTokenId}), a wrong signature
 * {@code InvalidSignatureException} (STS: {@code SignatureDoesNotMatch}), as AWS answers. Each
 * request is recorded as an {@link AwsCall} with the access key id that signed it. Faults
 * (throttling, 5xx), access denials, KMS decryption failures and secrets marked for deletion can be
 * switched on per test.
 *
 * <p>Listens on an ephemeral port of 127.0.0.1, plain HTTP, region {@code us-east-1} unless told
 * otherwise. Thread-safe: every method may be called while Jetty serves requests.
 */
public final class AwsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AwsServer.class);

    private final Server server;
    private final Stalls stalls;
    private final AwsState state;
    private final URI endpoint;

    private AwsServer(Server server, AwsState state, URI endpoint, Stalls stalls) {
        this.stalls = stalls;
        this.server = server;
        this.state = state;
        this.endpoint = endpoint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint URL to give the SDK ({@code AWS_ENDPOINT_URL}), e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region credential scopes must name. */
    public String region() {
        return state.region;
    }

    /** The verifier the server uses, for checks in front of other servers. */
    public SigV4Verifier verifier() {
        return state.verifier;
    }

    /** Adds (or replaces) a principal; a replaced one's expired token is forgotten. */
    public void addPrincipal(AwsPrincipal principal) {
        state.addPrincipal(Objects.requireNonNull(principal));
    }

    /** From now on the session token of {@code accessKeyId} is answered with {@code ExpiredTokenException}. */
    public void expireSessionToken(String accessKeyId) {
        state.expireSessionToken(accessKeyId);
    }

    /** Creates a secret whose first version (AWSCURRENT) is {@code secretString}; returns its version id. */
    public String createSecret(String name, String secretString) {
        ObjectNode req = JsonHttp.MAPPER.createObjectNode().put("Name", name).put("SecretString", secretString);
        return (String) admin(() -> state.secrets.createSecret(req)).get("VersionId");
    }

    /** Creates a secret whose first version (AWSCURRENT) is binary; returns its version id. */
    public String createBinarySecret(String name, byte[] secretBinary) {
        ObjectNode req = JsonHttp.MAPPER.createObjectNode().put("Name", name)
                .put("SecretBinary", Base64.getEncoder().encodeToString(secretBinary));
        return (String) admin(() -> state.secrets.createSecret(req)).get("VersionId");
    }

    /**
     * Adds a version, as {@code PutSecretValue} does, with the given staging labels (default
     * {@code AWSCURRENT}, which moves AWSPREVIOUS along); returns its version id.
     */
    public String putSecretValue(String name, String secretString, String... stages) {
        return put(JsonHttp.MAPPER.createObjectNode().put("SecretId", name).put("SecretString", secretString), stages);
    }

    /** Like {@link #putSecretValue}, with a binary value. */
    public String putBinarySecretValue(String name, byte[] secretBinary, String... stages) {
        return put(JsonHttp.MAPPER.createObjectNode().put("SecretId", name)
                .put("SecretBinary", Base64.getEncoder().encodeToString(secretBinary)), stages);
    }

    private String put(ObjectNode req, String... stages) {
        ArrayNode labels = req.putArray("VersionStages");
        for (String s : stages) {
            labels.add(s);
        }
        return (String) admin(() -> state.secrets.putSecretValue(req)).get("VersionId");
    }

    /**
     * Moves {@code stage} as {@code UpdateSecretVersionStage} does; {@code removeFromVersionId} must
     * name the version holding it, {@code moveToVersionId} may be {@code null} to detach it.
     *
     * @throws IllegalArgumentException with AWS's message if AWS would refuse (so do the other writes)
     */
    public void updateSecretVersionStage(String name, String stage, String moveToVersionId, String removeFromVersionId) {
        ObjectNode req = JsonHttp.MAPPER.createObjectNode().put("SecretId", name).put("VersionStage", stage);
        if (moveToVersionId != null) {
            req.put("MoveToVersionId", moveToVersionId);
        }
        if (removeFromVersionId != null) {
            req.put("RemoveFromVersionId", removeFromVersionId);
        }
        admin(() -> state.secrets.updateSecretVersionStage(req));
    }

    /** Runs an admin call, turning an AWS error into an {@link IllegalArgumentException} with AWS's message. */
    private static Map<String, Object> admin(java.util.function.Supplier<Map<String, Object>> call) {
        try {
            return call.get();
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.type + ": " + e.getMessage(), e);
        }
    }

    /** Version id to its staging labels, for versions that have any. */
    public Map<String, List<String>> versionStages(String name) {
        return state.secrets.versionIdsToStages(name);
    }

    /** The version id that holds {@code stage}, if any. */
    public Optional<String> versionIdOf(String name, String stage) {
        return versionStages(name).entrySet().stream().filter(e -> e.getValue().contains(stage)).map(Map.Entry::getKey).findFirst();
    }

    /** The secret's full ARN ({@code arn:aws:secretsmanager:<region>:<account>:secret:<name>-XXXXXX}). */
    public String arnOf(String name) {
        return state.secrets.arnOf(name);
    }

    /** Marks the secret for deletion ({@code InvalidRequestException} on reads) or restores it. */
    public void markForDeletion(String name, boolean marked) {
        state.secrets.markForDeletion(name, marked);
    }

    /** Makes reads of the secret fail with {@code DecryptionFailure} (its KMS key unusable), or heal. */
    public void failDecryption(String name, boolean fail) {
        state.secrets.failDecryption(name, fail);
    }

    /** Denies {@code accessKeyId} every operation on the secret ({@code AccessDeniedException}), or allows it again. */
    public void deny(String accessKeyId, String secretName, boolean deny) {
        state.deny(accessKeyId, secretName, deny);
    }

    /** The next {@code count} verified requests fail with {@code fault}; replaces any earlier setting. */
    public void failNext(int count, AwsFault fault) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        state.failNext(count, Objects.requireNonNull(fault));
    }

    /** Every request since start or {@link #resetCalls()}, oldest first. */
    public List<AwsCall> calls() {
        return state.calls();
    }

    /** The requests for one operation, e.g. {@code GetSecretValue}. */
    public List<AwsCall> calls(String operation) {
        return state.calls().stream().filter(c -> c.operation().equals(operation)).toList();
    }

    /** The access key id that signed each request for {@code operation}, in order ({@code "-"} when unsigned). */
    public List<String> signingKeys(String operation) {
        List<String> out = new ArrayList<>();
        calls(operation).forEach(c -> out.add(c.accessKeyId().orElse("-")));
        return out;
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
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("AWS testkit did not stop cleanly", e);
        }
    }

    @Override
    public String toString() {
        return "AwsServer[" + endpoint + ", " + state.region + "]";
    }

    /** Configures and starts an {@link AwsServer}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private String region = "us-east-1";
        private String account = AwsPrincipal.DEFAULT_ACCOUNT;
        private Clock clock = Clock.systemUTC();
        private Duration maxClockSkew = Duration.ofMinutes(5);
        private final List<AwsPrincipal> principals = new ArrayList<>();

        private Builder() {}

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = LoopbackJetty.checkPort(port);
            return this;
        }

        /** The region signatures must be scoped to (default {@code us-east-1}). */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        /** The account in secret ARNs (default {@link AwsPrincipal#DEFAULT_ACCOUNT}). */
        public Builder account(String account) {
            this.account = Objects.requireNonNull(account);
            return this;
        }

        /** A principal whose key may sign requests. */
        public Builder principal(AwsPrincipal principal) {
            principals.add(Objects.requireNonNull(principal));
            return this;
        }

        /**
         * The server's clock: secret dates and the signature-age check follow it. The AWS SDK signs
         * with the real time, so keep the default unless the test signs by hand.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How far a signature's time may be from the server's (default 5 minutes, as AWS). */
        public Builder maxClockSkew(Duration maxClockSkew) {
            this.maxClockSkew = Objects.requireNonNull(maxClockSkew);
            return this;
        }

        /**
         * Starts the server; it is listening when this returns.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public AwsServer start() {
            AwsState state = new AwsState(clock, region, account, maxClockSkew);
            principals.forEach(state::addPrincipal);
            Server server = LoopbackJetty.newServer("aws-testkit");
            Stalls stalls = new Stalls();
            // Header values byte for byte, or the signature check would see Jetty's spelling of them.
            ServerConnector connector = LoopbackJetty.http(server, LoopbackJetty.httpConfiguration(true), port);
            server.setHandler(stalls.around(new AwsHandler(state)));
            LoopbackJetty.start(server, "the AWS testkit");
            URI endpoint = LoopbackJetty.uri("http", connector);
            LOG.info("AWS testkit (Secrets Manager, STS) listening on {} for region {}", endpoint, region);
            return new AwsServer(server, state, endpoint, stalls);
        }
    }
}
