package io.github.mlflowsecretsauth.testkit.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty handler behind {@link OAuthTokenServer}, with Keycloak's paths under the issuer:
 * <ul>
 *   <li>{@code GET <issuer>/.well-known/openid-configuration}: the discovery document;</li>
 *   <li>{@code GET <issuer>/protocol/openid-connect/certs}: the JWKS;</li>
 *   <li>{@code POST <issuer>/protocol/openid-connect/token}: {@code grant_type=client_credentials} with
 *       {@link ClientAuthenticator}'s methods, {@code scope}, {@code audience} and {@code resource};</li>
 *   <li>{@code GET <issuer>/protocol/openid-connect/userinfo} and {@code GET /validate[?audience=A]}: 200 for a token
 *       this server issued that has not expired (and carries audience {@code A}), 401 with
 *       {@code WWW-Authenticate: Bearer error="invalid_token"} otherwise; what an nginx {@code auth_request} asks.</li>
 *   <li>{@code POST <issuer>/protocol/openid-connect/token/introspect} (RFC 7662, as Keycloak answers it): an
 *       authenticated client's {@code token=...} gets 200 {@code {"active": true, "aud": [...], "exp", "iss", "sub",
 *       "client_id"}} for a JWT this server signed that has not expired (by its clock), {@code {"active": false}}
 *       for anything else; a refused client gets 401 {@code invalid_client}.</li>
 * </ul>
 * Thread-safe: no per-request state in fields.
 */
final class OAuthHandler extends Handler.Abstract {
    static final String DISCOVERY = "/.well-known/openid-configuration";
    static final String CERTS = "/protocol/openid-connect/certs";
    static final String TOKEN = "/protocol/openid-connect/token";
    static final String USERINFO = "/protocol/openid-connect/userinfo";
    static final String VALIDATE = "/validate";
    static final String INTROSPECT = TOKEN + "/introspect";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OAuthState state;
    private final String issuerPath;
    private final Supplier<String> base;

    OAuthHandler(OAuthState state, String issuerPath, Supplier<String> base) {
        this.state = state;
        this.issuerPath = issuerPath;
        this.base = base;
    }

    String issuer() {
        return base.get() + issuerPath;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (method.equals("GET") && path.equals(issuerPath + DISCOVERY)) {
            JsonHttp.send(response, callback, 200, discovery());
        } else if (method.equals("GET") && path.equals(issuerPath + CERTS)) {
            byte[] jwks = state.key.jwksJson().getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(jwks), callback);
        } else if (path.equals(issuerPath + TOKEN)) {
            if (!method.equals("POST")) {
                JsonHttp.send(response, callback, 405, new OAuthError(405, "invalid_request", "HTTP method not allowed").body());
            } else {
                token(request, response, callback);
            }
        } else if (method.equals("POST") && path.equals(issuerPath + INTROSPECT)) {
            introspect(request, response, callback);
        } else if (method.equals("GET") && (path.equals(issuerPath + USERINFO) || path.equals(VALIDATE))) {
            validate(request, response, callback, path.equals(VALIDATE) ? query(request).get("audience") : null);
        } else {
            JsonHttp.send(response, callback, 404, Map.of("error", "not_found", "error_description", "no such endpoint: " + path));
        }
        return true;
    }

    private Map<String, Object> discovery() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer());
        d.put("token_endpoint", issuer() + TOKEN);
        d.put("jwks_uri", issuer() + CERTS);
        d.put("userinfo_endpoint", issuer() + USERINFO);
        d.put("grant_types_supported", List.of("client_credentials"));
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "private_key_jwt"));
        d.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "ES256"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return d;
    }

    private void token(Request request, Response response, Callback callback) throws Exception {
        Map<String, String> form = parse(JsonHttp.readBody(request));
        String tokenEndpoint = issuer() + TOKEN;
        Optional<String> claimed = Optional.ofNullable(form.get("client_id"));
        String method = ClientAuthenticator.attempted(request.getHeaders().get(HttpHeader.AUTHORIZATION), form);
        try {
            Optional<Integer> fault = state.takeFailure();
            if (fault.isPresent()) {
                throw new OAuthError(fault.get(), "temporarily_unavailable", "the server is temporarily unavailable");
            }
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded");
            }
            ClientAuthenticator.Authenticated who = ClientAuthenticator.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                    form, state, tokenEndpoint, issuer());
            claimed = Optional.of(who.client().id());
            method = who.method();
            String grant = form.get("grant_type");
            if (grant == null) {
                throw OAuthError.invalidRequest("Missing form parameter: grant_type");
            }
            if (!grant.equals("client_credentials")) {
                throw new OAuthError(400, "unsupported_grant_type", "Unsupported grant_type");
            }
            if (!who.client().grantAllowed()) {
                throw new OAuthError(400, "unauthorized_client", "Client not enabled to retrieve service account");
            }
            Set<String> scopes = scopes(form.get("scope"));
            if (!who.client().allowedScopes().containsAll(scopes)) {
                throw new OAuthError(400, "invalid_scope", "Invalid scopes: " + form.get("scope"));
            }
            Map<String, Object> body = issue(who.client(), scopes, Optional.ofNullable(form.get("audience"))
                    .or(() -> Optional.ofNullable(form.get("resource"))).or(() -> state.defaultAudience));
            state.record(record(claimed, method, form, 200, Optional.empty()));
            JsonHttp.send(response, callback, 200, body);
        } catch (OAuthError e) {
            state.record(record(claimed, method, form, e.status, Optional.of(e.error)));
            if (e.status == 401 && request.getHeaders().get(HttpHeader.AUTHORIZATION) != null) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + issuerPath + "\"");
            }
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            JsonHttp.send(response, callback, e.status, e.body());
        }
    }

    private Map<String, Object> issue(OAuthClient client, Set<String> scopes, Optional<String> audience) {
        Instant now = state.clock.instant();
        Instant exp = now.plus(state.tokenLifetime);
        String token;
        if (state.format == TokenFormat.OPAQUE) {
            byte[] b = new byte[24];
            RANDOM.nextBytes(b);
            token = "opaque-" + HexFormat.of().formatHex(b);
            state.opaque.put(token, exp);
        } else {
            byte[] jti = new byte[12];
            RANDOM.nextBytes(jti);
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer()).subject(client.id()).issueTime(Date.from(now))
                    .jwtID(HexFormat.of().formatHex(jti)).claim("client_id", client.id()).claim("scope", String.join(" ", scopes));
            audience.ifPresent(c::audience);
            if (state.format == TokenFormat.JWT) {
                c.expirationTime(Date.from(exp));
            }
            token = state.key.sign(c.build());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("token_type", "Bearer");
        if (state.sendExpiresIn) {
            body.put("expires_in", state.tokenLifetime.toSeconds());
        }
        if (!scopes.isEmpty()) {
            body.put("scope", String.join(" ", scopes));
        }
        return body;
    }

    private void validate(Request request, Response response, Callback callback, String audience) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
        Optional<String> subject = state.validate(token, issuer(), audience);
        if (subject.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            JsonHttp.send(response, callback, 401, Map.of("error", "invalid_token", "error_description", "Token verification failed"));
            return;
        }
        JsonHttp.send(response, callback, 200, Map.of("sub", subject.get()));
    }

    private void introspect(Request request, Response response, Callback callback) throws Exception {
        Map<String, String> form = parse(JsonHttp.readBody(request));
        try {
            ClientAuthenticator.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION), form, state,
                    issuer() + INTROSPECT, issuer());
        } catch (OAuthError e) {
            JsonHttp.send(response, callback, e.status, e.body());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<JWTClaimsSet> claims = state.introspect(form.get("token"), issuer());
        body.put("active", claims.isPresent());
        claims.ifPresent(c -> {
            body.put("iss", c.getIssuer());
            body.put("sub", c.getSubject());
            body.put("aud", c.getAudience() == null ? List.of() : c.getAudience());
            body.put("exp", c.getExpirationTime().toInstant().getEpochSecond());
            body.put("client_id", c.getClaim("client_id"));
            body.put("token_type", "Bearer");
        });
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        JsonHttp.send(response, callback, 200, body);
    }

    private TokenRequest record(Optional<String> client, String method, Map<String, String> form, int status, Optional<String> error) {
        return new TokenRequest(client, method, Optional.ofNullable(form.get("scope")), Optional.ofNullable(form.get("audience")),
                Optional.ofNullable(form.get("resource")), status, error, state.clock.instant());
    }

    private static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(scope.strip().split(" +")));
    }

    private static Map<String, String> query(Request request) {
        String q = request.getHttpURI().getQuery();
        return q == null ? Map.of() : parse(q);
    }

    private static Map<String, String> parse(String body) {
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
