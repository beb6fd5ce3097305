package io.github.mlflowsecretsauth.testkit.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An nginx {@code auth_request} target that checks a bearer JWT the way oauth2-proxy does, with nimbus-jose-jwt's
 * {@link DefaultJWTProcessor}: an RS256 signature by a key of the issuer's JWKS, {@code iss} exactly the issuer,
 * {@code aud} holding the audience, {@code exp} (required) after this check's clock with no leeway, and {@code sub}
 * present. 204 lets the request through, 401 refuses it. For a front of the testkit's Entra ID or Google, whose
 * tokens this project's code then never judges.
 *
 * <pre>{@code
 * try (JwtFrontCheck check = JwtFrontCheck.start(entra.apiTokenJwks(), entra.apiTokenIssuer(), APP, Clock.systemUTC());
 *      Nginx nginx = check.protect(Nginx.builder(), "/api/", mlflow.uri()).start()) { ... }
 * }</pre>
 * Thread-safe.
 */
public final class JwtFrontCheck implements AutoCloseable {
    private final Server server;
    private final URI uri;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private JwtFrontCheck(String jwksJson, String issuer, String audience, Clock clock) throws ParseException {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(JWKSet.parse(jwksJson))));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "sub"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
        server = LoopbackJetty.newServer("testkit-jwt-front");
        ServerConnector connector = LoopbackJetty.http(server, LoopbackJetty.httpConfiguration(false), 0);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
                boolean ok = false;
                if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                    try {
                        processor.process(h.substring(7).strip(), null);
                        ok = true;
                    } catch (Exception refusedToken) {
                        // bad signature, wrong iss or aud, expired, not a JWT: refused
                    }
                }
                (ok ? accepted : refused).increment();
                response.setStatus(ok ? 204 : 401);
                callback.succeeded();
                return true;
            }
        });
        LoopbackJetty.start(server, "the testkit JWT front check");
        uri = LoopbackJetty.uri("http", connector).resolve("/check");
    }

    /** Starts a check on a free loopback port; {@code jwksJson} is the issuer's JWKS document. */
    public static JwtFrontCheck start(String jwksJson, String issuer, String audience, Clock clock) {
        try {
            return new JwtFrontCheck(jwksJson, issuer, audience, clock);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWKS document: " + e.getMessage(), e);
        }
    }

    /** Where nginx's {@code auth_request} subrequest goes. */
    public URI uri() {
        return uri;
    }

    /** Tokens let through so far. */
    public long accepted() {
        return accepted.sum();
    }

    /** Requests refused so far. */
    public long refused() {
        return refused.sum();
    }

    /** Puts {@code pathPrefix} behind this check ({@code auth_request}) and proxies it to {@code upstream}. */
    public Nginx.Builder protect(Nginx.Builder nginx, String pathPrefix, URI upstream) {
        String up = upstream.getHost() + ":" + upstream.getPort();
        String check = uri.getHost() + ":" + uri.getPort();
        return nginx.location(pathPrefix, "auth_request /_jwt_check;\nproxy_pass http://" + up + ";\n"
                        + "proxy_set_header Host " + up + ";")
                .location("= /_jwt_check", "internal;\nproxy_pass " + uri + ";\nproxy_set_header Host " + check + ";\n"
                        + "proxy_pass_request_body off;\nproxy_set_header Content-Length \"\";");
    }

    @Override
    public void close() {
        LoopbackJetty.stop(server, "the testkit JWT front check");
    }
}
