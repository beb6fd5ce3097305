package io.github.mlflowsecretsauth.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler behind {@link AwsServer}: tells Secrets Manager calls ({@code X-Amz-Target})
 * from STS calls (a form body with {@code Action}), verifies the SigV4 signature against the known
 * principals for that service and the server's region, applies injected faults, dispatches, records
 * an {@link AwsCall} and answers in the service's wire format.
 *
 * <p>Thread-safe: Jetty calls it concurrently; it keeps no per-request state in fields.
 */
final class AwsHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AwsHandler.class);

    private final AwsState state;

    AwsHandler(AwsState state) {
        this.state = state;
    }

    private record Route(String service, String operation) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ByteBuffer buffer = Content.Source.asByteBuffer(request);
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        SignedRequest signed = SignedRequest.of(request, body);
        Route route = route(signed);
        SigV4Result auth = route.service.equals("unknown") ? null : state.verifier.verify(signed, state.region, route.service);
        AwsReply reply;
        try {
            reply = answer(route, auth, signed);
        } catch (AwsError e) {
            reply = route.service.equals("sts") ? AwsReply.xmlError(e, StsApi.NAMESPACE) : AwsReply.jsonError(e);
        } catch (RuntimeException e) {
            LOG.warn("AWS testkit failed on {} {}", route.service, route.operation, e);
            AwsError internal = new AwsError(500, "InternalFailure", "internal error");
            reply = route.service.equals("sts") ? AwsReply.xmlError(internal, StsApi.NAMESPACE) : AwsReply.jsonError(internal);
        }
        state.record(new AwsCall(route.service, route.operation, auth == null ? Optional.empty() : auth.accessKeyId(),
                auth != null && auth.valid(), reply.status(), reply.errorType(), state.clock.instant()));
        LOG.debug("{} {} -> {} {}", route.service, route.operation, reply.status(), reply.errorType().orElse(""));
        reply.send(response, callback);
        return true;
    }

    private AwsReply answer(Route route, SigV4Result auth, SignedRequest signed) {
        if (auth == null) {
            throw new AwsError(400, "UnknownOperationException", "expected X-Amz-Target: secretsmanager.<Operation> or an STS Action");
        }
        if (!auth.valid()) {
            throw route.service.equals("sts") ? StsApi.authError(auth) : SecretsManagerApi.authError(auth);
        }
        Optional<AwsFault> fault = state.takeFault();
        if (fault.isPresent()) {
            throw fault.get().error();
        }
        AwsPrincipal caller = state.principal(auth.accessKeyId().orElseThrow()).orElseThrow();
        if (route.service.equals("sts")) {
            return StsApi.handle(route.operation, caller);
        }
        JsonNode req;
        try {
            req = JsonHttp.parseObject(new String(signed.body(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new AwsError(400, "SerializationException", "the request body is not a JSON object");
        }
        return SecretsManagerApi.handle(state, route.operation, req, caller);
    }

    private static Route route(SignedRequest r) {
        Optional<String> target = r.header("X-Amz-Target");
        if (target.isPresent() && target.get().startsWith(SecretsManagerApi.TARGET_PREFIX)) {
            return new Route("secretsmanager", target.get().substring(SecretsManagerApi.TARGET_PREFIX.length()));
        }
        String form = r.header("Content-Type").orElse("").startsWith("application/x-www-form-urlencoded")
                ? new String(r.body(), StandardCharsets.UTF_8) : "";
        for (String source : new String[] {form, r.rawQuery() == null ? "" : r.rawQuery()}) {
            for (String pair : source.split("&")) {
                if (pair.startsWith("Action=")) {
                    return new Route("sts", URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8));
                }
            }
        }
        return new Route("unknown", target.orElse("?"));
    }
}
