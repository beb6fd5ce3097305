package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.SigV4Verifier;
import io.github.mlflowsecretsauth.testkit.aws.SignedRequest;
import io.github.mlflowsecretsauth.testkit.aws.StsAnswer;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The testkit Vault's {@code aws} auth method, {@code iam} type: {@code POST auth/<mount>/login} with {@code role},
 * {@code iam_http_request_method}, and the base64 {@code iam_request_url}, {@code iam_request_body} and
 * {@code iam_request_headers} of a SigV4-signed {@code sts:GetCallerIdentity}. As Vault's server does, it decodes
 * the request, checks the body is that call and the {@code X-Vault-AWS-IAM-Server-ID} header (value and signed) when
 * the mount requires it, then hands the request to STS, here {@link StsAnswer} (signature verified with the
 * principals' keys on the server's clock), and matches the caller's ARN to the role's {@code bound_iam_principal_arn}.
 * Error texts are Vault's ({@code builtin/credential/aws/path_login.go}).
 *
 * <p>Thread-safe: concurrent maps of immutable values.
 */
final class AwsLogins {
    static final String SERVER_ID_HEADER = "X-Vault-AWS-IAM-Server-ID";

    private record Mount(AwsAuthConfig config, SigV4Verifier verifier, Map<String, AwsRole> roles) {}

    private final Map<String, Mount> mounts = new ConcurrentHashMap<>();
    private final TokenStore tokens;
    private final Clock clock;

    AwsLogins(TokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    void configure(String mount, AwsAuthConfig config) {
        Map<String, AwsPrincipal> byKey = new ConcurrentHashMap<>();
        config.principals().forEach(p -> byKey.put(p.accessKeyId(), p));
        SigV4Verifier verifier = new SigV4Verifier(k -> Optional.ofNullable(byKey.get(k)), k -> false, clock, Duration.ofMinutes(5));
        Map<String, AwsRole> roles = Optional.ofNullable(mounts.get(mount)).map(Mount::roles).orElseGet(ConcurrentHashMap::new);
        mounts.put(mount, new Mount(config, verifier, roles));
    }

    void addRole(String mount, AwsRole role) {
        Mount m = mounts.get(mount);
        if (m == null) {
            throw new IllegalArgumentException("auth/" + mount + " is not an aws mount: call configureAwsAuth first");
        }
        m.roles().put(role.name(), role);
    }

    /** The answer to {@code auth/<rest>} if {@code rest} is the login of an aws mount. */
    Optional<Reply> handle(VaultCall call, String rest) {
        for (Map.Entry<String, Mount> e : mounts.entrySet()) {
            if (rest.equals("auth/" + e.getKey() + "/login")) {
                return Optional.of(call.isWrite() ? login(call, e.getKey(), e.getValue()) : Reply.methodNotAllowed());
            }
        }
        return Optional.empty();
    }

    private Reply login(VaultCall call, String mount, Mount m) {
        ObjectNode body = call.json();
        String method = body.path("iam_http_request_method").asText("");
        if (method.isEmpty()) {
            return Reply.error(400, "missing iam_http_request_method");
        }
        if (!method.equals("POST")) {
            return Reply.error(400, "invalid iam_http_request_method; currently only 'POST' is supported");
        }
        Optional<String> url = decoded(body, "iam_request_url");
        Optional<String> form = decoded(body, "iam_request_body");
        Optional<String> headerJson = decoded(body, "iam_request_headers");
        if (url.isEmpty() || form.isEmpty() || headerJson.isEmpty()) {
            String missing = url.isEmpty() ? "iam_request_url" : form.isEmpty() ? "iam_request_body" : "iam_request_headers";
            return Reply.error(400, body.hasNonNull(missing) ? "failed to base64 decode " + missing : "missing " + missing);
        }
        if (!isGetCallerIdentity(form.get())) {
            return Reply.error(400, "iam request body is invalid");
        }
        URI target;
        Map<String, List<String>> headers;
        try {
            target = URI.create(url.get());
            headers = headers(JsonHttp.MAPPER.readTree(headerJson.get()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return Reply.error(400, "error parsing iam_request_url or iam_request_headers");
        }
        if (m.config().iamServerIdHeaderValue().isPresent()) {
            Optional<String> refusal = serverIdRefusal(headers, m.config().iamServerIdHeaderValue().get());
            if (refusal.isPresent()) {
                return Reply.error(400, "error validating " + SERVER_ID_HEADER + " header: " + refusal.get());
            }
        }
        if (!headers.containsKey("Host")) { // Vault infers it from the URL, as the SDKs leave it to the HTTP library
            headers.put("Host", List.of(target.getRawAuthority()));
        }
        SignedRequest signed = new SignedRequest("POST", target.getRawPath() == null || target.getRawPath().isEmpty() ? "/"
                : target.getRawPath(), target.getRawQuery(), headers, form.get().getBytes(StandardCharsets.UTF_8));
        Map<String, AwsPrincipal> byKey = new TreeMap<>();
        m.config().principals().forEach(p -> byKey.put(p.accessKeyId(), p));
        StsAnswer sts = StsAnswer.getCallerIdentity(m.verifier(), k -> Optional.ofNullable(byKey.get(k)), signed,
                m.config().stsRegion());
        if (sts.caller().isEmpty()) {
            return Reply.error(400, "error making upstream request: received error code " + sts.status() + " from STS: " + sts.body());
        }
        String arn = sts.caller().get().arn();
        String roleName = body.path("role").asText("");
        if (roleName.isEmpty()) { // Vault's default: the caller's IAM role (or user) name
            String canonical = AwsRole.canonical(arn);
            roleName = canonical.substring(canonical.lastIndexOf('/') + 1);
        }
        AwsRole role = m.roles().get(roleName);
        if (role == null) {
            return Reply.error(400, "entry for role " + roleName + " not found");
        }
        if (!role.binds(arn)) {
            return Reply.error(400, "IAM Principal \"" + arn + "\" does not belong to the role \"" + roleName + "\"");
        }
        TokenEntry entry = tokens.issue(role.tokenSpec(), "auth/" + mount + "/login", mount + "-" + arn,
                Map.of("role", roleName, "canonical_arn", AwsRole.canonical(arn), "account_id", sts.caller().get().account()), true);
        return Reply.envelope().auth(AuthEndpoints.authBlock(entry, entry.creationTtl.getSeconds())).reply(200);
    }

    private static Optional<String> decoded(ObjectNode body, String field) {
        String value = body.path(field).asText("");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Vault's {@code validateLoginIamRequestBody}: only {@code Action=GetCallerIdentity} and {@code Version}. */
    private static boolean isGetCallerIdentity(String form) {
        boolean action = false;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("Action")) {
                if (action || !value.equals("GetCallerIdentity")) {
                    return false;
                }
                action = true;
            } else if (!name.equals("Version")) {
                return false;
            }
        }
        return action;
    }

    /** The headers JSON, each value a string or a list of strings (Go's {@code http.Header}), names ignoring case. */
    private static Map<String, List<String>> headers(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        json.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> values.add(v.asText()));
            } else {
                values.add(e.getValue().asText());
            }
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(values);
        });
        return out;
    }

    /** Vault's {@code validateVaultHeaderValue}: the header is there, has the value, and is among the signed headers. */
    private static Optional<String> serverIdRefusal(Map<String, List<String>> headers, String required) {
        String provided = String.join(",", headers.getOrDefault(SERVER_ID_HEADER, List.of()));
        if (provided.isEmpty()) {
            return Optional.of("missing header \"" + SERVER_ID_HEADER + "\"");
        }
        if (!provided.equals(required)) {
            return Optional.of("expected \"" + required + "\" but got \"" + provided + "\"");
        }
        String authz = String.join(",", headers.getOrDefault("Authorization", List.of()));
        if (authz.isEmpty()) {
            return Optional.of("missing Authorization header");
        }
        java.util.regex.Matcher signed = java.util.regex.Pattern.compile("SignedHeaders=([^,]+)").matcher(authz);
        if (!signed.find() || !List.of(signed.group(1).toLowerCase(java.util.Locale.ROOT).split(";"))
                .contains(SERVER_ID_HEADER.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of("vault header wasn't signed");
        }
        return Optional.empty();
    }
}
