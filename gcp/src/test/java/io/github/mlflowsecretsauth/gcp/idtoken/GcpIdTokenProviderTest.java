package io.github.mlflowsecretsauth.gcp.idtoken;

import static io.github.mlflowsecretsauth.gcp.idtoken.IdTokenFixtures.AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testkit.gcp.GcpCall;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service-account key mints Google-signed ID tokens through the real Google auth library (a JWT with
 * {@code target_audience} exchanged at the testkit's token endpoint for an {@code id_token}), over sockets; the
 * token is sent as {@code Bearer}, lives until its own {@code exp}, and is refreshed ahead of it with about one
 * token request per lifetime under many concurrent calls. Time is the fake clock; nothing sleeps.
 */
class GcpIdTokenProviderTest {
    private static final URI MLFLOW = URI.create("https://mlflow-abc123-uc.a.run.app/api/2.0/mlflow/runs/create");

    @TempDir
    Path dir;
    private IdTokenFixtures gcp;

    @BeforeEach
    void start() {
        gcp = new IdTokenFixtures(dir, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private JWTClaimsSet claimsOf(String header) {
        assertThat(header).startsWith("Bearer ");
        return gcp.server.idTokenKey().verify(header.substring(7)).orElseThrow(() -> new AssertionError("not signed by the testkit"));
    }

    @Test
    void aServiceAccountKey_getsAGoogleSignedIdTokenForTheAudience_asBearer() throws Exception {
        try (SecretsAuth auth = gcp.engine(gcp.settings())) {
            String header = auth.headersFor(MLFLOW).get("Authorization");
            JWTClaimsSet claims = claimsOf(header);
            assertThat(claims.getAudience()).containsExactly(AUDIENCE);
            assertThat(claims.getIssuer()).isEqualTo("https://accounts.google.com");
            assertThat(claims.getStringClaim("email")).isEqualTo(gcp.caller.email());
            HeaderSnapshot snapshot = auth.currentSnapshot();
            assertThat(snapshot.expiresAt()).contains(claims.getExpirationTime().toInstant());
            assertThat(claims.getExpirationTime().toInstant()).isEqualTo(gcp.clock.instant().plusSeconds(60));
            assertThat(snapshot.toString()).doesNotContain(header.substring(7));
        }
        assertThat(gcp.server.calls(GcpCall.Kind.ID_TOKEN)).singleElement().satisfies(c -> {
            assertThat(c.principal()).contains(gcp.caller.email());
            assertThat(c.succeeded()).isTrue();
        });
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).as("no access token is asked for").isEmpty();
    }

    @Test
    void withProxyAuthorization_theTokenGoesThereForIap_andAuthorizationStaysFree() {
        try (SecretsAuth auth = gcp.engine(gcp.settings("MLFLOW_AUTH_HEADER_NAME", "Proxy-Authorization"))) {
            var headers = auth.headersFor(MLFLOW);
            assertThat(headers).doesNotContainKey("Authorization");
            assertThat(claimsOf(headers.get("Proxy-Authorization")).getAudience()).containsExactly(AUDIENCE);
        }
    }

    /** What {@code status} reports: the next refresh comes from the ID token's exp, not from the 300 s TTL setting. */
    @Test
    void statusShowsTheNextRefresh_aheadOfTheTokensExp_andATokenIsMintedThen() {
        try (SecretsAuth auth = gcp.engine(gcp.settings())) {
            assertThat(auth.status().nextRefresh()).as("nothing fetched yet").isEmpty();
            java.time.Instant exp = claimsOf(auth.headersFor(MLFLOW).get("Authorization")).getExpirationTime().toInstant();
            java.time.Instant due = auth.status().nextRefresh().orElseThrow();
            System.out.println("gcp-id-token: fetched at " + gcp.clock.instant() + ", exp " + exp + ", next refresh " + due);
            assertThat(due).isAfter(gcp.clock.instant()).isBefore(exp);
            gcp.scheduler.advance(Duration.between(gcp.clock.instant(), due));
            assertThat(gcp.server.idTokensIssued()).as("minted when status said").isEqualTo(2);
            assertThat(auth.status().nextRefresh().orElseThrow()).isAfter(due);
        }
    }

    @Test
    void aTokenMlflowRejects_isReplacedByAFreshOneAtOnce_once() {
        try (SecretsAuth auth = gcp.engine(gcp.settings())) {
            HeaderSnapshot first = auth.snapshotFor(MLFLOW).orElseThrow();
            gcp.clock.advance(Duration.ofSeconds(1)); // a new iat/exp, so a new token
            assertThat(auth.reportRejected(first)).isEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
            HeaderSnapshot fresh = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(fresh.headerValue()).isNotEqualTo(first.headerValue());
            assertThat(claimsOf(fresh.headerValue()).getAudience()).containsExactly(AUDIENCE);
            assertThat(auth.reportRejected(first)).isNotEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
        }
        assertThat(gcp.server.idTokensIssued()).isEqualTo(2);
    }

    @Test
    void describe_showsTheTokensIssuerAudienceSubjectAndExpiry_neverTheToken() {
        try (SecretsAuth auth = gcp.engine(gcp.settings())) {
            String token = auth.headersFor(MLFLOW).get("Authorization").substring(7);
            String described = auth.chain().get(0).describe().toString();
            assertThat(described).contains(AUDIENCE + " (MLFLOW_GCP_ID_TOKEN_AUDIENCE)").contains("https://accounts.google.com")
                    .contains(gcp.caller.email()).contains("token expires").doesNotContain(token);
        }
    }

    @Test
    void underManyConcurrentCalls_theTokenIsRefreshedAheadOfExpiry_aboutOncePerLifetime() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SecretsAuth auth = gcp.engine(gcp.settings())) {
            for (int step = 0; step < 24; step++) { // 24 x 10 s = four 60 s lifetimes
                List<Future<?>> calls = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    calls.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            try {
                                JWTClaimsSet c = claimsOf(auth.headersFor(MLFLOW).get("Authorization"));
                                if (!c.getExpirationTime().toInstant().isAfter(gcp.clock.instant())) {
                                    failures.incrementAndGet(); // an expired token was served
                                }
                                served.incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.incrementAndGet();
                            }
                        }
                    }));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
                gcp.scheduler.advance(Duration.ofSeconds(10));
            }
        } finally {
            pool.shutdownNow();
        }
        int minted = gcp.server.idTokensIssued();
        System.out.printf("gcp-id-token: %d calls over 4 token lifetimes, %d ID tokens minted, %d failures%n", served.get(), minted,
                failures.get());
        assertThat(failures.get()).isZero();
        assertThat(served.get()).isEqualTo(24 * 8 * 25);
        // the first token, then one refresh ahead of each expiry (about 80 % into each lifetime): 6 here, never one per call
        assertThat(minted).as("one token request per lifetime, not per call").isBetween(4, 7);
    }
}
