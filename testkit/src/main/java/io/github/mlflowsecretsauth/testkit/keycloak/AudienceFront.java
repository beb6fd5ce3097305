package io.github.mlflowsecretsauth.testkit.keycloak;

import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An nginx front that lets a request through only when Keycloak vouches for its bearer token <em>and</em> the token is
 * meant for MLflow: {@code auth_request} to an njs check ({@code audience-check.js}, beside this class) that asks the
 * realm's token introspection endpoint (RFC 7662) and requires {@code active=true} and the audience in {@code aud}.
 * The signature, expiry, revocation and audience are all judged by Keycloak and nginx, not by this project's code.
 *
 * <pre>{@code
 * kc.addIntrospectionClient("nginx-front", frontSecret);
 * Nginx nginx = AudienceFront.protect(Nginx.builder(), "/api/", mlflow.uri(), kc, "nginx-front", frontSecret, "mlflow-api")
 *         .start();
 * }</pre>
 *
 * <p>The introspection client's secret goes into nginx.conf (readable by nginx's master only), never into the script.
 * Needs Debian's {@code libnginx-mod-http-js}: {@link #isAvailable()} says whether it is installed.
 */
public final class AudienceFront {
    /** The njs module's file name in nginx's module directory. */
    public static final String NJS_MODULE = "ngx_http_js_module.so";
    /** Why {@link #protect} cannot be used here. */
    public static final String NOT_INSTALLED = "nginx's njs module is not installed: apt-get install libnginx-mod-http-js";
    /** The script's file name beside nginx.conf. */
    public static final String SCRIPT = "audience-check.js";

    private AudienceFront() {
    }

    /** Whether nginx and its njs module are installed. */
    public static boolean isAvailable() {
        return Nginx.isAvailable() && Nginx.module(NJS_MODULE).isPresent();
    }

    /** The njs script, as shipped in the testkit (and shown in docs/identity/keycloak.md). */
    public static String script() {
        try (InputStream in = AudienceFront.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the testkit jar has no " + SCRIPT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts {@code pathPrefix} (for example {@code /api/}) behind the audience check and proxies it to {@code upstream}.
     *
     * @throws IllegalStateException {@link #NOT_INSTALLED} when njs is missing
     */
    public static Nginx.Builder protect(Nginx.Builder nginx, String pathPrefix, URI upstream, Keycloak keycloak,
                                        String clientId, String clientSecret, String audience) {
        return protect(nginx, pathPrefix, upstream, keycloak.introspectionUri(), clientId, clientSecret, audience);
    }

    /** As above, for any RFC 7662 introspection endpoint that answers {@code aud}. */
    public static Nginx.Builder protect(Nginx.Builder nginx, String pathPrefix, URI upstream, URI introspection,
                                        String clientId, String clientSecret, String audience) {
        Objects.requireNonNull(audience, "audience");
        if (!audience.matches("[A-Za-z0-9:/._-]+")) {
            throw new IllegalArgumentException("an audience this front can quote is letters, digits and :/._-");
        }
        String njs = Nginx.module(NJS_MODULE).orElseThrow(() -> new IllegalStateException(NOT_INSTALLED)).toString();
        String upstreamHost = authority(upstream);
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return nginx.loadModule(java.nio.file.Path.of(njs))
                .file(SCRIPT, script())
                .httpDirectives("js_import front from " + SCRIPT + ";\nsubrequest_output_buffer_size 64k;")
                .location(pathPrefix, "auth_request /_audience_check;\nproxy_pass " + upstream.getScheme() + "://"
                        + upstreamHost + ";\nproxy_set_header Host " + upstreamHost + ";")
                .location("= /_audience_check", "internal;\nset $front_audience \"" + audience + "\";\n"
                        + "js_content front.check;")
                .location("= /_introspect", "internal;\nproxy_pass " + introspection + ";\n"
                        + "proxy_set_header Host " + authority(introspection) + ";\n"
                        + "proxy_set_header Authorization \"Basic " + basic + "\";\n"
                        + "proxy_set_header Content-Type application/x-www-form-urlencoded;\n"
                        + "proxy_buffering on;");
    }

    private static String authority(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        return uri.getHost() + ":" + port;
    }
}
