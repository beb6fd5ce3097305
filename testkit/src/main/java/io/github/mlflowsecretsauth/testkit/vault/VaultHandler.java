package io.github.mlflowsecretsauth.testkit.vault;

import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler behind {@link VaultServer}: records each request, applies injected faults,
 * resolves the namespace ({@code X-Vault-Namespace} header and/or path prefix) and the token
 * ({@code X-Vault-Token} or {@code Authorization: Bearer}), checks the token's policy globs and
 * routes to the sys, auth and KV endpoints.
 *
 * <p>Thread-safe: Jetty calls it concurrently; it keeps no per-request state in fields.
 */
final class VaultHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(VaultHandler.class);

    private final VaultState state;
    private final SysEndpoints sys = new SysEndpoints();
    private final AuthEndpoints auth;

    VaultHandler(VaultState state) {
        this.state = state;
        this.auth = new AuthEndpoints(state.tokens);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RecordedRequest recorded = record(request);
        state.log.record(recorded);
        state.faults.delay();
        Reply reply;
        try {
            reply = dispatch(recorded, Request.extractQueryParameters(request));
        } catch (IllegalArgumentException e) {
            reply = Reply.error(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Vault testkit failed on {} {}", recorded.method(), recorded.path(), e);
            reply = Reply.error(500, "internal error");
        }
        LOG.debug("{} {} -> {}", recorded.method(), recorded.path(), reply.status());
        if (reply.body() == null || recorded.method().equals("HEAD")) {
            JsonHttp.sendEmpty(response, callback, reply.status());
        } else {
            JsonHttp.send(response, callback, reply.status(), reply.body());
        }
        return true;
    }

    private Reply dispatch(RecordedRequest request, Fields queryFields) {
        String path = request.path();
        if (!path.startsWith("/v1/")) {
            return Reply.notFound();
        }
        String rest = path.substring("/v1/".length());
        if (rest.equals("sys/health")) {
            return sys.health(!state.faults.available(), state.clock.instant());
        }
        if (!state.faults.available()) {
            return Reply.error(503, "Vault is sealed");
        }
        OptionalInt failure = state.faults.takeFailure();
        if (failure.isPresent()) {
            return state.faults.echoes()
                    ? Reply.error(failure.getAsInt(), "permission denied for token " + request.token().orElse("(none)")
                            + " on " + request.path() + " with " + request.body())
                    : Reply.error(failure.getAsInt(), "injected failure");
        }

        String namespace = Namespaces.normalize(request.namespaceHeader().orElse(""));
        if (!state.hasNamespace(namespace)) {
            return Reply.permissionDenied();
        }
        // A namespace can also be given as a path prefix: /v1/team-a/secret/data/x.
        while (true) {
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                break;
            }
            String candidate = Namespaces.join(namespace, rest.substring(0, slash));
            if (!state.hasNamespace(candidate)) {
                break;
            }
            namespace = candidate;
            rest = rest.substring(slash + 1);
        }
        NamespaceState ns = state.namespace(namespace);
        VaultCall call = new VaultCall(request.method(), namespace, rest, firstValues(queryFields), request.body(),
                null, state.clock.instant());

        if (namespace.isEmpty() && rest.startsWith("auth/")) {
            Optional<Reply> login = state.certs.handle(call, rest, request);
            if (login.isPresent()) {
                return login.get();
            }
        }
        if (rest.equals("auth/approle/login")) {
            return auth.appRoleLogin(call, ns);
        }
        if (namespace.isEmpty() && rest.startsWith("auth/")) {
            VaultCall unauthenticated = call;
            String loginPath = rest;
            Optional<Reply> login = state.logins.handle(call, rest).or(() -> state.awsLogins.handle(unauthenticated, loginPath));
            if (login.isPresent()) {
                return login.get();
            }
        }
        if (rest.equals("sys/wrapping/unwrap")) {
            return call.isWrite() ? state.wrapping.unwrap(request.token().orElse("")) : Reply.methodNotAllowed();
        }
        if (rest.equals("sys/internal/ui/mounts")) {
            return call.isRead() ? sys.listMounts(ns) : Reply.methodNotAllowed();
        }
        Optional<TokenEntry> token = request.token().flatMap(state.tokens::findValid);
        String policyPrefix = token.map(entry -> Namespaces.relativePrefix(entry.namespace, ns.name)).orElse(null);
        if (policyPrefix == null) {
            return Reply.permissionDenied();
        }
        call = call.withToken(token.get());
        if (rest.equals("auth/token/lookup-self")) {
            return auth.lookupSelf(call);
        }
        if (rest.equals("auth/token/renew-self")) {
            return auth.renewSelf(call);
        }
        if (rest.equals("auth/token/revoke-self")) {
            return auth.revokeSelf(call);
        }
        if (rest.startsWith("sys/internal/ui/mounts/")) {
            return sys.mount(call, ns, rest.substring("sys/internal/ui/mounts/".length()), policyPrefix);
        }
        TokenEntry entry = token.get();
        if (!entry.root && !PathGlob.anyMatches(entry.allowedPaths, policyPrefix + rest)) {
            return Reply.policyDenied();
        }
        if (rest.equals("sys/mounts")) {
            return sys.allMounts(call, ns);
        }
        NamespaceState.MountMatch match = ns.findMount(rest);
        if (match == null) {
            return Reply.error(404, "no handler for route \"" + rest + "\". route entry not found.");
        }
        return match.mount().handle(call, match.relative());
    }

    private static RecordedRequest record(Request request) throws java.io.IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        X509Certificate[] peers = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                ? ssl.peerCertificates() : null;
        return new RecordedRequest(request.getMethod(), request.getHttpURI().getDecodedPath(),
                request.getHttpURI().getQuery(), headers, JsonHttp.readBody(request), request.isSecure(),
                peers == null ? List.of() : Arrays.asList(peers));
    }

    private static Map<String, String> firstValues(Fields fields) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            values.put(field.getName(), field.getValue());
        }
        return values;
    }
}
