package io.github.mlflowsecretsauth.testkit.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NginxAccessTest {

    private final Http http = new Http();
    private EchoUpstream upstream;
    private Nginx nginx;

    @BeforeAll
    static void nginxIsInstalled() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new EchoUpstream();
    }

    @AfterEach
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        upstream.close();
    }

    @Test
    void basicAuthAcceptsTheRightPasswordAndOnlyThenReachesTheUpstream() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("alice", "s3cret pass").start();

        HttpResponse<String> none = http.get(nginx.uri(), "/api/2.0/mlflow/experiments/search");
        HttpResponse<String> wrong = http.get(nginx.uri(), "/api/2.0/mlflow/experiments/search",
                "Authorization", Http.basic("alice", "wrong"));
        HttpResponse<String> unknownUser = http.get(nginx.uri(), "/api/2.0/mlflow/experiments/search",
                "Authorization", Http.basic("mallory", "s3cret pass"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"mlflow\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknownUser.statusCode()).isEqualTo(401);
        assertThat(upstream.requests()).isEmpty();

        HttpResponse<String> right = http.get(nginx.uri(), "/api/2.0/mlflow/experiments/search",
                "Authorization", Http.basic("alice", "s3cret pass"));

        assertThat(right.statusCode()).as(nginx.errorLog()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("GET /api/2.0/mlflow/experiments/search");
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void basicAuthAcceptsEachOfSeveralUsers() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri())
                .basicAuth("alice", "a-pass")
                .basicAuth("bob", "b-pass")
                .start();

        assertThat(http.get(nginx.uri(), "/x", "Authorization", Http.basic("alice", "a-pass")).statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/x", "Authorization", Http.basic("bob", "b-pass")).statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/x", "Authorization", Http.basic("bob", "a-pass")).statusCode()).isEqualTo(401);
    }

    @Test
    void basicAuthHashesComeFromOpensslAprOneAndNoPasswordIsWrittenInClear() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("alice", "plain-password-42").start();

        try (var files = java.nio.file.Files.list(nginx.directory())) {
            var htpasswd = files.filter(p -> p.getFileName().toString().startsWith("htpasswd-")).findFirst().orElseThrow();
            String content = java.nio.file.Files.readString(htpasswd);
            assertThat(content).matches("alice:\\$apr1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}\\n");
        }
        assertThat(nginx.config()).doesNotContain("plain-password-42");
    }

    @Test
    void bearerAcceptsOnlyAListedTokenAndRejectsTheRestWith401() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("token-1", "token-2").start();

        assertThat(http.get(nginx.uri(), "/a", "Authorization", Http.bearer("token-1")).statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/b", "Authorization", Http.bearer("token-2")).statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/c", "Authorization", Http.bearer("token-3")).statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/d").statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/e", "Authorization", Http.basic("token-1", "x")).statusCode()).isEqualTo(401);

        assertThat(upstream.requests()).extracting(EchoUpstream.Seen::path).containsExactly("/a", "/b");
        assertThat(upstream.requests().get(0).authorization()).isEqualTo("Bearer token-1");
    }

    @Test
    void bearerTokensMatchExactlyAndCaseSensitivelyWhateverCharactersTheyHold() throws Exception {
        String token = "a.b$c\"d\\e{f};g~h*";
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens(token, "UPPER").start();

        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.bearer(token)).statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/", "Authorization", "bearer " + token).statusCode())
                .as("the scheme word is case-insensitive").isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.bearer("aXb$c\"d\\e{f};g~h*")).statusCode())
                .as("a '.' in a token is not a wildcard").isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.bearer(token + "x")).statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.bearer("upper")).statusCode())
                .as("tokens are case-sensitive").isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "Authorization", Http.bearer("UPPER")).statusCode()).isEqualTo(200);
    }

    @Test
    void aCustomHeaderSuchAsXApiKeyIsRequired() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).customHeader("X-Api-Key", "key-1").start();

        assertThat(http.get(nginx.uri(), "/", "x-api-key", "key-1").statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/", "X-Api-Key", "key-2").statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/").statusCode()).isEqualTo(401);
        assertThat(upstream.requests()).extracting(EchoUpstream.Seen::apiKey).containsExactly("key-1");
    }

    @Test
    void aCustomHeaderAndBearerMustBothHold() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("t").customHeader("X-Api-Key", "k").start();

        assertThat(http.get(nginx.uri(), "/", "Authorization", "Bearer t", "X-Api-Key", "k").statusCode()).isEqualTo(200);
        assertThat(http.get(nginx.uri(), "/", "Authorization", "Bearer t").statusCode()).isEqualTo(401);
        assertThat(http.get(nginx.uri(), "/", "X-Api-Key", "k").statusCode()).isEqualTo(401);
    }

    @Test
    void withoutRulesEveryRequestIsProxiedWithHostAndForwardedHeaders() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).start();

        HttpResponse<String> response = http.get(nginx.uri(), "/ajax-api/2.0/mlflow/runs/get?run_id=1");

        assertThat(response.statusCode()).isEqualTo(200);
        EchoUpstream.Seen seen = upstream.requests().get(0);
        assertThat(seen.host()).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(seen.forwardedHost()).isEqualTo("127.0.0.1:" + nginx.port());
        assertThat(seen.forwardedProto()).isEqualTo("http");
        assertThat(seen.forwardedFor()).isEqualTo("127.0.0.1");
    }

    @Test
    void connectionsToTheUpstreamAreKeptAlive() throws Exception {
        nginx = Nginx.builder().upstream(upstream.uri()).start();

        for (int i = 0; i < 3; i++) {
            assertThat(http.get(nginx.uri(), "/ping-" + i).statusCode()).isEqualTo(200);
        }

        assertThat(upstream.requests()).extracting(EchoUpstream.Seen::remotePort).hasSize(3).containsOnly(
                upstream.requests().get(0).remotePort());
    }
}
