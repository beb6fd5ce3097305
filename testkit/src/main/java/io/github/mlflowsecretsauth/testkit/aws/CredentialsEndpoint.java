package io.github.mlflowsecretsauth.testkit.aws;

import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The endpoints the AWS SDK's default chain asks for a role's credentials, on 127.0.0.1: the EC2 instance metadata
 * service (IMDSv2: {@code PUT /latest/api/token}, then {@code /latest/meta-data/iam/security-credentials/[role]}) and
 * the container credentials endpoint (any other {@code GET}, as {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} names it).
 * Both hand out {@code principal}'s keys, valid for an hour. With {@link #stalls()} either can stall mid-body or never
 * answer. Point the SDK at it with the system properties {@code aws.ec2MetadataServiceEndpoint} or
 * {@code aws.containerCredentialsFullUri} (or their environment variables in a child process). Thread-safe.
 */
public final class CredentialsEndpoint implements AutoCloseable {
    /** The role name the metadata service reports. */
    public static final String ROLE = "mlflow-testkit-role";
    private static final String CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

    private final Server server;
    private final Stalls stalls;
    private final URI uri;
    private final AtomicInteger requests;

    private CredentialsEndpoint(Server server, Stalls stalls, URI uri, AtomicInteger requests) {
        this.server = server;
        this.stalls = stalls;
        this.uri = uri;
        this.requests = requests;
    }

    /** Serves {@code principal}'s access key, secret key and session token. */
    public static CredentialsEndpoint start(AwsPrincipal principal) {
        Server server = LoopbackJetty.newServer("aws-credentials-endpoint");
        Stalls stalls = new Stalls();
        AtomicInteger requests = new AtomicInteger();
        ServerConnector connector = LoopbackJetty.http(server, LoopbackJetty.httpConfiguration(false), 0);
        server.setHandler(stalls.around(new Answer(principal, requests)));
        LoopbackJetty.start(server, "the AWS credentials endpoint");
        return new CredentialsEndpoint(server, stalls, LoopbackJetty.uri("http", connector), requests);
    }

    /** The metadata service's base, for {@code aws.ec2MetadataServiceEndpoint}. */
    public URI metadataEndpoint() {
        return uri;
    }

    /** A container credentials URL, for {@code aws.containerCredentialsFullUri}. */
    public URI containerCredentialsUri() {
        return uri.resolve("/v2/credentials/testkit");
    }

    public Stalls stalls() {
        return stalls;
    }

    /** Requests received so far (stalled ones included). */
    public int requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        stalls.release();
        LoopbackJetty.stop(server, "the AWS credentials endpoint");
    }

    private static final class Answer extends Handler.Abstract {
        private final AwsPrincipal principal;
        private final AtomicInteger requests;

        Answer(AwsPrincipal principal, AtomicInteger requests) {
            this.principal = principal;
            this.requests = requests;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            requests.incrementAndGet();
            String path = request.getHttpURI().getPath();
            String body;
            String type = "text/plain";
            if (request.getMethod().equals("PUT") && path.equals("/latest/api/token")) {
                body = "testkit-imds-session";
            } else if (path.equals(CREDENTIALS_PATH)) {
                body = ROLE;
            } else {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Code", "Success");
                c.put("Type", "AWS-HMAC");
                c.put("AccessKeyId", principal.accessKeyId());
                c.put("SecretAccessKey", principal.secretAccessKey());
                c.put("Token", principal.sessionToken().orElse("testkit-session-token"));
                c.put("Expiration", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
                body = JsonHttp.MAPPER.valueToTree(c).toString();
                type = "application/json";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
