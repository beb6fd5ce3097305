package io.github.mlflowsecretsauth.testkit.gcp;

import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler behind {@link GcpSecretManagerServer}. Its endpoints:
 * <ul>
 *   <li>{@code POST /token}: the OAuth2 JWT-bearer grant ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer},
 *       {@code assertion=<RS256 JWT>}), verified by {@link JwtAssertion}; answers
 *       {@code {"access_token","expires_in","token_type":"Bearer"}} or an OAuth2 error;</li>
 *   <li>{@code GET /computeMetadata/v1/instance/service-accounts/default/token} with
 *       {@code Metadata-Flavor: Google}: a token for the compute account, as the metadata server;</li>
 *   <li>the ID-token endpoints of {@link IdTokenEndpoints} (an assertion with {@code target_audience} at
 *       {@code /token}, the metadata server's {@code identity}, IAM credentials {@code generateIdToken});</li>
 *   <li>{@code GET /v1/projects/P[/locations/L]/secrets/S/versions/V:access} with an issued, unexpired
 *       bearer token: Secret Manager's access call, errors as {@code google.rpc.Status} JSON.</li>
 * </ul>
 * Every request is recorded as a {@link GcpCall}. Thread-safe: no per-request state in fields.
 */
final class GcpHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(GcpHandler.class);
    static final String TOKEN_PATH = "/token";
    static final String METADATA_TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Pattern ACCESS = Pattern.compile(
            "/v1/projects/([^/]+)(?:/locations/([^/]+))?/secrets/([^/]+)/versions/([^/:]+):access");

    private final GcpState state;
    private final Supplier<String> ownTokenUri;
    private final IdTokenEndpoints idTokens;

    GcpHandler(GcpState state, Supplier<String> ownTokenUri) {
        this.state = state;
        this.ownTokenUri = ownTokenUri;
        this.idTokens = new IdTokenEndpoints(state);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals(TOKEN_PATH) && method.equals("POST")) {
            token(request, response, callback);
        } else if (path.equals(METADATA_TOKEN_PATH) && method.equals("GET")) {
            metadataToken(request, response, callback);
        } else if (path.equals(IdTokenEndpoints.METADATA_IDENTITY_PATH) && method.equals("GET")) {
            idTokens.metadata(request, response, callback);
        } else if (method.equals("POST") && IdTokenEndpoints.GENERATE.matcher(path).matches()) {
            Matcher m = IdTokenEndpoints.GENERATE.matcher(path);
            m.matches();
            idTokens.generate(request, m.group(1), response, callback);
        } else if (method.equals("GET") && ACCESS.matcher(path).matches()) {
            access(request, path, response, callback);
        } else {
            send(response, callback, new GoogleError(404, "NOT_FOUND", "The requested URL " + path + " was not found on this server."));
        }
        return true;
    }

    private void token(Request request, Response response, Callback callback) throws Exception {
        Map<String, String> form = form(JsonHttp.readBody(request));
        Optional<String> who = Optional.empty();
        try {
            if (!JWT_BEARER.equals(form.get("grant_type"))) {
                throw new JwtAssertion.OAuthError("unsupported_grant_type", "Invalid grant_type: " + form.getOrDefault("grant_type", ""));
            }
            JwtAssertion.Verified v = JwtAssertion.verify(form.get("assertion"), state::account, ownTokenUri.get(), state.clock.instant());
            who = Optional.of(v.account().email());
            if (v.targetAudience().isPresent()) {
                idTokens.fromAssertion(v, response, callback);
                return;
            }
            if (!v.scope().contains("https://www.googleapis.com/auth/cloud-platform")) {
                throw new JwtAssertion.OAuthError("invalid_scope", "the scope must include https://www.googleapis.com/auth/cloud-platform");
            }
            GcpState.IssuedToken issued = state.issue(v.account().email());
            // Recorded before answering, so a test that has the token also sees the call.
            state.record(new GcpCall(GcpCall.Kind.TOKEN, TOKEN_PATH, who, 200, Optional.empty(), state.clock.instant()));
            sendToken(response, callback, issued);
        } catch (JwtAssertion.OAuthError e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.error);
            body.put("error_description", e.getMessage());
            state.record(new GcpCall(GcpCall.Kind.TOKEN, TOKEN_PATH, who, 400, Optional.of(e.error), state.clock.instant()));
            JsonHttp.send(response, callback, 400, body);
        }
    }

    private void metadataToken(Request request, Response response, Callback callback) {
        if (!"Google".equals(request.getHeaders().get("Metadata-Flavor"))) {
            state.record(new GcpCall(GcpCall.Kind.METADATA_TOKEN, METADATA_TOKEN_PATH, Optional.empty(), 403,
                    Optional.of("missing Metadata-Flavor"), state.clock.instant()));
            response.setStatus(403);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html");
            response.write(true, java.nio.ByteBuffer.wrap("Missing Metadata-Flavor:Google header.".getBytes(StandardCharsets.UTF_8)), callback);
            return;
        }
        response.getHeaders().put("Metadata-Flavor", "Google");
        state.record(new GcpCall(GcpCall.Kind.METADATA_TOKEN, METADATA_TOKEN_PATH, Optional.of(state.computeAccount), 200,
                Optional.empty(), state.clock.instant()));
        sendToken(response, callback, state.issue(state.computeAccount));
    }

    private void sendToken(Response response, Callback callback, GcpState.IssuedToken t) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", t.token());
        body.put("expires_in", Math.max(0, t.expiresAt().getEpochSecond() - state.clock.instant().getEpochSecond()));
        body.put("token_type", "Bearer");
        JsonHttp.send(response, callback, 200, body);
    }

    private void access(Request request, String path, Response response, Callback callback) {
        Matcher m = ACCESS.matcher(path);
        m.matches();
        String project = m.group(1);
        String location = m.group(2);
        String secret = m.group(3);
        String selector = m.group(4);
        String secretName = "projects/" + state.projectNumber + (location == null ? "" : "/locations/" + location) + "/secrets/" + secret;
        String asked = "projects/" + project + (location == null ? "" : "/locations/" + location) + "/secrets/" + secret + "/versions/" + selector;
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        Optional<String> who = state.holderOf(token);
        try {
            if (who.isEmpty()) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"https://accounts.google.com/\""
                        + (state.issued(token) ? ", error=\"invalid_token\"" : ""));
                throw new GoogleError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access "
                        + "token, login cookie or other valid authentication credential. See "
                        + "https://developers.google.com/identity/sign-in/web/devconsole-project.");
            }
            Optional<GcpFault> fault = state.takeFault();
            if (fault.isPresent()) {
                throw new GoogleError(fault.get().status, fault.get().code, fault.get().message);
            }
            if (!project.equals(state.projectId) && !project.equals(state.projectNumber)) {
                throw denied(asked);
            }
            if (state.denied(who.get(), secret)) {
                throw denied(asked);
            }
            SecretStore.Version v = state.secrets.find(secret, selector).orElseThrow(() -> state.secrets.exists(secret)
                    ? new GoogleError(404, "NOT_FOUND", "Secret Version [" + secretName + "/versions/" + selector + "] not found.")
                    : new GoogleError(404, "NOT_FOUND", "Secret [" + secretName + "] not found or has no versions."));
            if (v.state() != VersionState.ENABLED) {
                throw new GoogleError(400, "FAILED_PRECONDITION", "Secret Version [" + secretName + "/versions/" + v.number()
                        + "] is in " + v.state() + " state.");
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("data", Base64.getEncoder().encodeToString(v.data()));
            if (state.sendChecksums) {
                CRC32C crc = new CRC32C();
                crc.update(v.data());
                payload.put("dataCrc32c", Long.toString(crc.getValue() + (state.corruptChecksums ? 1 : 0)));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", secretName + "/versions/" + v.number());
            body.put("payload", payload);
            state.record(new GcpCall(GcpCall.Kind.ACCESS, asked, who, 200, Optional.empty(), state.clock.instant()));
            JsonHttp.send(response, callback, 200, body);
        } catch (GoogleError e) {
            state.record(new GcpCall(GcpCall.Kind.ACCESS, asked, who, e.status, Optional.of(e.code), state.clock.instant()));
            LOG.debug("access {} -> {} {}", asked, e.status, e.code);
            send(response, callback, e);
        }
    }

    private static GoogleError denied(String asked) {
        return new GoogleError(403, "PERMISSION_DENIED", "Permission 'secretmanager.versions.access' denied for resource '"
                + asked + "' (or it may not exist).");
    }

    private static void send(Response response, Callback callback, GoogleError e) {
        JsonHttp.send(response, callback, e.status, e.body());
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
