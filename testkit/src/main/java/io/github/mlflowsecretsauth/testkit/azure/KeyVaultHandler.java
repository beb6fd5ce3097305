package io.github.mlflowsecretsauth.testkit.azure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler behind {@link AzureKeyVaultServer}. Vault requests ({@code /secrets/...}) follow Key
 * Vault's challenge flow: without a valid Bearer token they get 401 with
 * {@code WWW-Authenticate: Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"};
 * with one they get the secret, or Key Vault's error JSON ({@code SecretNotFound}, {@code Forbidden} with
 * innererror {@code ForbiddenByRbac} or {@code SecretDisabled}, {@code Throttled} with {@code Retry-After}).
 * {@code POST /<tenant>/oauth2/v2.0/token} is Entra ID's token endpoint for the client-credentials grant,
 * with a client secret, a federated client assertion, or a client assertion signed with a registered
 * certificate. Every request is recorded.
 *
 * <p>Thread-safe: state lives in {@link KeyVaultState}.
 */
final class KeyVaultHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(KeyVaultHandler.class);
    static final String RESOURCE = "https://vault.azure.net";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final KeyVaultState state;

    KeyVaultHandler(KeyVaultState state) {
        this.state = state;
    }

    /** One answer: status, JSON body, extra headers (name, value pairs), error code and caller for the log. */
    private record Reply(int status, Object body, List<String> headers, String errorCode, String clientId) {
        static Reply ok(Object body, String clientId) {
            return new Reply(200, body, List.of(), null, clientId);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        Fields query = Request.extractQueryParameters(request);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        Reply reply;
        try {
            if (path.endsWith("/oauth2/v2.0/token") && request.getMethod().equals("POST")) {
                reply = token(path, FormFields.getFields(request));
            } else if (path.startsWith("/secrets/")) {
                reply = vault(request.getMethod(), path, query, bearer ? authorization.substring(7).strip() : null);
            } else {
                reply = error(404, "NotFound", "The requested resource was not found: " + path, null);
            }
        } catch (RuntimeException e) {
            LOG.warn("Key Vault testkit failed on {} {}", request.getMethod(), path, e);
            reply = error(500, "InternalServerError", "internal error", null);
        }
        state.record(new KeyVaultRequest(request.getMethod(), path, Optional.ofNullable(query.getValue("api-version")), bearer,
                Optional.ofNullable(reply.clientId), reply.status, Optional.ofNullable(reply.errorCode)));
        LOG.debug("{} {} -> {} {}", request.getMethod(), path, reply.status, reply.errorCode == null ? "" : reply.errorCode);
        for (int i = 0; i + 1 < reply.headers.size(); i += 2) {
            response.getHeaders().put(reply.headers.get(i), reply.headers.get(i + 1));
        }
        JsonHttp.send(response, callback, reply.status, reply.body);
        return true;
    }

    private Reply vault(String method, String path, Fields query, String token) {
        if (token == null) {
            return challenge("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }
        EntraTokens.Verdict verdict = state.tokens.check(token);
        switch (verdict) {
            case UNKNOWN -> {
                return challenge("Unauthorized", "AKV10022: Invalid audience or issuer: the token was not issued for this vault.");
            }
            case EXPIRED -> {
                return challenge("Unauthorized", "AKV10032: Token is expired.");
            }
            case REVOKED -> {
                return challenge("Unauthorized", "AKV10030: The token has been revoked.");
            }
            default -> {
                // valid: go on
            }
        }
        String clientId = state.tokens.clientOf(token).orElseThrow();
        Optional<KeyVaultState.Fault> fault = state.takeFault();
        if (fault.isPresent()) {
            KeyVaultState.Fault f = fault.get();
            Reply r = error(f.status(), f.code(), f.message(), clientId);
            if (f.location() != null) {
                return new Reply(r.status, r.body, List.of("Location", f.location()), r.errorCode, clientId);
            }
            return f.retryAfterSeconds() < 0 ? r
                    : new Reply(r.status, r.body, List.of("Retry-After", Integer.toString(f.retryAfterSeconds())), r.errorCode, clientId);
        }
        if (query.getValue("api-version") == null) {
            return error(400, "BadParameter", "The request URI contains an invalid api-version: api-version is required.", clientId);
        }
        if (!method.equals("GET")) {
            return error(405, "MethodNotAllowed", "The testkit vault serves GET only.", clientId);
        }
        String[] parts = path.substring("/secrets/".length()).split("/", -1);
        String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (state.isDenied(clientId, name)) {
            return forbidden(clientId, "ForbiddenByRbac", "Caller is not authorized to perform action on resource. If role assignments, "
                    + "deny assignments or role definitions were changed recently, please observe propagation time. Caller: appid="
                    + clientId + ";iss=https://sts.windows.net/" + state.tenantId + "/ Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action' "
                    + "Resource: '/secrets/" + name.toLowerCase(java.util.Locale.ROOT) + "'");
        }
        if (parts.length == 2 && parts[1].equals("versions")) {
            return versions(name, clientId);
        }
        if (parts.length > 2) {
            return error(404, "NotFound", "The requested resource was not found.", clientId);
        }
        String version = parts.length == 2 ? parts[1] : "";
        Optional<SecretVersionEntry> entry = state.secrets.get(name, version);
        if (entry.isEmpty()) {
            return error(404, "SecretNotFound", "A secret with (name/id) " + name + (version.isEmpty() ? "" : "/" + version)
                    + " was not found in this key vault. If you recently deleted this secret you may be able to recover it using the "
                    + "correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
                    clientId);
        }
        if (!entry.get().enabled()) {
            return forbidden(clientId, "SecretDisabled", "Operation get is not allowed on a disabled secret.");
        }
        return Reply.ok(bundle(name, entry.get(), true), clientId);
    }

    private Reply versions(String name, String clientId) {
        List<SecretVersionEntry> all = state.secrets.versions(name);
        if (all.isEmpty()) {
            return error(404, "SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault.", clientId);
        }
        ObjectNode body = JsonHttp.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("value");
        all.forEach(v -> items.add(bundle(name, v, false)));
        body.putNull("nextLink");
        return Reply.ok(body, clientId);
    }

    /** A SecretBundle (with the value) or a SecretItem (without), as Key Vault writes them. */
    private ObjectNode bundle(String name, SecretVersionEntry v, boolean withValue) {
        ObjectNode o = JsonHttp.MAPPER.createObjectNode();
        if (withValue) {
            o.put("value", v.value());
        }
        if (v.contentType() != null) {
            o.put("contentType", v.contentType());
        }
        o.put("id", state.vaultUrl() + "/secrets/" + name + "/" + v.version());
        ObjectNode attributes = o.putObject("attributes");
        attributes.put("enabled", v.enabled());
        attributes.put("created", v.created().getEpochSecond());
        attributes.put("updated", v.updated().getEpochSecond());
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        o.putObject("tags");
        return o;
    }

    private Reply token(String path, Fields form) {
        String tenant = path.substring(1, path.indexOf('/', 1));
        String clientId = form.getValue("client_id");
        if (!tenant.equalsIgnoreCase(state.tenantId)) {
            return oauthError(400, "invalid_request", 90002, "AADSTS90002: Tenant '" + tenant + "' not found.", null);
        }
        if (!"client_credentials".equals(form.getValue("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.", null);
        }
        if (clientId == null || !state.tokens.knowsClient(clientId)) {
            return oauthError(400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.", null);
        }
        String scope = form.getValue("scope");
        String api = apiResource(scope);
        if (api == null && (scope == null || !scope.contains(RESOURCE + "/.default"))) {
            return oauthError(400, "invalid_scope", 70011, "AADSTS70011: The provided value for the input parameter 'scope' is not valid.",
                    clientId);
        }
        boolean ok = JWT_BEARER.equals(form.getValue("client_assertion_type"))
                ? state.tokens.assertionValid(clientId, form.getValue("client_assertion"), state.tenantId)
                : state.tokens.secretMatches(clientId, form.getValue("client_secret"));
        if (!ok) {
            return oauthError(401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent "
                    + "in the request is the client secret value, not the client secret ID.", clientId);
        }
        ObjectNode body = JsonHttp.MAPPER.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", state.tokens.lifetimeSeconds());
        body.put("ext_expires_in", state.tokens.lifetimeSeconds());
        body.put("access_token", api == null ? state.tokens.issue(clientId)
                : state.tokens.issueJwt(clientId, api, state.tenantId, state.authority(), state.apiTokenKey()));
        return Reply.ok(body, clientId);
    }

    /** The registered API a {@code <application ID URI>/.default} scope asks for, or null. */
    private String apiResource(String scope) {
        if (scope == null) {
            return null;
        }
        for (String one : scope.trim().split(" +")) {
            if (one.endsWith("/.default") && state.isApiResource(one.substring(0, one.length() - "/.default".length()))) {
                return one.substring(0, one.length() - "/.default".length());
            }
        }
        return null;
    }

    private Reply challenge(String code, String message) {
        Reply r = error(401, code, message, null);
        return new Reply(401, r.body, List.of("WWW-Authenticate", "Bearer authorization=\"" + state.authority() + "/" + state.tenantId
                + "\", resource=\"" + RESOURCE + "\""), code, null);
    }

    private static Reply forbidden(String clientId, String innerCode, String message) {
        ObjectNode body = JsonHttp.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", "Forbidden");
        error.put("message", message);
        error.putObject("innererror").put("code", innerCode);
        return new Reply(403, body, List.of(), "Forbidden/" + innerCode, clientId);
    }

    private static Reply error(int status, String code, String message, String clientId) {
        ObjectNode body = JsonHttp.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return new Reply(status, body, List.of(), code, clientId);
    }

    private static Reply oauthError(int status, String error, int code, String description, String clientId) {
        ObjectNode body = JsonHttp.MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        body.putArray("error_codes").add(code);
        return new Reply(status, body, List.of(), error, clientId);
    }
}
