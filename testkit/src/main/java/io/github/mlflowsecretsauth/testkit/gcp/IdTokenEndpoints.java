package io.github.mlflowsecretsauth.testkit.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The three places Google's auth library gets an ID token from, in their wire formats:
 * <ul>
 *   <li>the token endpoint, for a JWT-bearer assertion with {@code target_audience}: {@code {"id_token": ...}};</li>
 *   <li>the metadata server's {@code GET .../service-accounts/default/identity?audience=A[&format=full]} with
 *       {@code Metadata-Flavor: Google}: the bare JWT as the body;</li>
 *   <li>IAM credentials {@code POST /v1/projects/-/serviceAccounts/E:generateIdToken} with a bearer access token
 *       (one it issued, or the source account's self-signed JWT) and {@code {"audience": A, "includeEmail": true}}:
 *       {@code {"token": ...}} for the target account.</li>
 * </ul>
 * Injected faults ({@link IdTokens#failNext}) answer each in its own error format. Stateless beyond {@link GcpState}.
 */
final class IdTokenEndpoints {
    static final String METADATA_IDENTITY_PATH = "/computeMetadata/v1/instance/service-accounts/default/identity";
    /** The audience of a self-signed JWT for IAM credentials, as the library builds it from the API's URL. */
    static final String IAM_AUDIENCE = "https://iamcredentials.googleapis.com/";
    static final Pattern GENERATE = Pattern.compile("/v1/projects/-/serviceAccounts/([^/:]+):generateIdToken");

    private final GcpState state;

    IdTokenEndpoints(GcpState state) {
        this.state = state;
    }

    /** The token endpoint's answer to a verified assertion that asked for {@code target_audience}. */
    void fromAssertion(JwtAssertion.Verified v, Response response, Callback callback) {
        String email = v.account().email();
        Optional<GcpFault> fault = state.idTokens.takeFault();
        if (fault.isPresent()) {
            record(GcpCall.Kind.ID_TOKEN, GcpHandler.TOKEN_PATH, email, fault.get().status, fault.get().code);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", fault.get().code.toLowerCase(java.util.Locale.ROOT));
            body.put("error_description", fault.get().message);
            JsonHttp.send(response, callback, fault.get().status, body);
            return;
        }
        String token = issue(email, v.account().clientId(), v.targetAudience().orElseThrow());
        record(GcpCall.Kind.ID_TOKEN, GcpHandler.TOKEN_PATH, email, 200, null);
        JsonHttp.send(response, callback, 200, Map.of("id_token", token));
    }

    void metadata(Request request, Response response, Callback callback) {
        String email = state.computeAccount;
        response.getHeaders().put("Metadata-Flavor", "Google");
        if (!"Google".equals(request.getHeaders().get("Metadata-Flavor"))) {
            text(response, callback, GcpCall.Kind.METADATA_ID_TOKEN, email, 403, "missing Metadata-Flavor",
                    "Missing Metadata-Flavor:Google header.");
            return;
        }
        String audience = Request.extractQueryParameters(request).getValue("audience");
        if (audience == null || audience.isBlank()) {
            text(response, callback, GcpCall.Kind.METADATA_ID_TOKEN, email, 400, "no audience", "non-empty audience parameter required");
            return;
        }
        Optional<GcpFault> fault = state.idTokens.takeFault();
        if (fault.isPresent()) {
            text(response, callback, GcpCall.Kind.METADATA_ID_TOKEN, email, fault.get().status, fault.get().code, fault.get().message);
            return;
        }
        String token = issue(email, subjectOf(email), audience);
        text(response, callback, GcpCall.Kind.METADATA_ID_TOKEN, email, 200, null, token);
    }

    void generate(Request request, String target, Response response, Callback callback) throws Exception {
        String resource = "serviceAccounts/" + target + ":generateIdToken";
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        Optional<String> caller = state.holderOf(bearer).or(() -> JwtAssertion.selfSigned(bearer, state::account, IAM_AUDIENCE,
                state.clock.instant()).map(ServiceAccount::email));
        try {
            if (caller.isEmpty()) {
                throw new GoogleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
            }
            ObjectNode body = JsonHttp.parseObject(JsonHttp.readBody(request));
            String audience = body.path("audience").asText("");
            if (audience.isBlank()) {
                throw new GoogleError(400, "INVALID_ARGUMENT", "Request contains an invalid argument: audience is required.");
            }
            Optional<GcpFault> fault = state.idTokens.takeFault();
            if (fault.isPresent()) {
                throw new GoogleError(fault.get().status, fault.get().code, fault.get().message);
            }
            ServiceAccount account = state.account(target).orElseThrow(() -> new GoogleError(404, "NOT_FOUND",
                    "Not found; Gaia id not found for email " + target));
            String token = issue(account.email(), account.clientId(), audience);
            state.record(new GcpCall(GcpCall.Kind.GENERATE_ID_TOKEN, resource, caller, 200, Optional.empty(), state.clock.instant()));
            JsonHttp.send(response, callback, 200, Map.of("token", token));
        } catch (GoogleError e) {
            state.record(new GcpCall(GcpCall.Kind.GENERATE_ID_TOKEN, resource, caller, e.status, Optional.of(e.code), state.clock.instant()));
            JsonHttp.send(response, callback, e.status, e.body());
        }
    }

    /** The account's unique id, the {@code sub} of its ID tokens (the compute account's is derived from its e-mail). */
    String subjectOf(String email) {
        return state.account(email).map(ServiceAccount::clientId).orElse("1" + String.format("%020d", Math.abs((long) email.hashCode())));
    }

    String issue(String email, String subject, String audience) {
        return state.idTokens.issue(email, subject, audience, state.clock.instant(), state.tokenLifetime);
    }

    private void text(Response response, Callback callback, GcpCall.Kind kind, String email, int status, String error, String body) {
        record(kind, METADATA_IDENTITY_PATH, email, status, error);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    private void record(GcpCall.Kind kind, String resource, String email, int status, String error) {
        state.record(new GcpCall(kind, resource, Optional.of(email), status, Optional.ofNullable(error), state.clock.instant()));
    }
}
