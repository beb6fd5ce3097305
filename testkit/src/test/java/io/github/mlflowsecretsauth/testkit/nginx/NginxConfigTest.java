package io.github.mlflowsecretsauth.testkit.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxConfigTest {

    private static NginxConfig.Settings settings(Path dir) {
        return new NginxConfig.Settings(dir, 8080, URI.create("http://127.0.0.1:5000"), "0", false, false,
                "mlflow", List.of(), null, null);
    }

    @Test
    void aRegexLiteralMatchesItsTextAndNothingElse() {
        String value = "a.b$c\"d\\e{f};g~h*(i)[j]^k|l+m?";
        Pattern pattern = Pattern.compile("^" + NginxConfig.regexLiteral(value) + "$");

        assertThat(pattern.matcher(value).matches()).isTrue();
        assertThat(pattern.matcher(value.replace('.', 'X')).matches()).isFalse();
        assertThat(pattern.matcher(value.toUpperCase()).matches()).isFalse();
    }

    @Test
    void aQuotedStringEscapesBackslashesAndQuotes() {
        assertThat(NginxConfig.quote("a\\b\"c")).isEqualTo("\"a\\\\b\\\"c\"");
    }

    @Test
    void bearerTokensBecomeAnchoredRegexMapKeysAndARejectingIf() {
        String conf = NginxConfig.render(settings(Path.of("/tmp/n")), AccessRules.none().withBearerTokens("t1", "t.2"),
                null, "gen-1");

        assertThat(conf).contains(
                "map $http_authorization $testkit_bearer_ok {",
                "\"~^(?i:Bearer) t1$\" 1;",
                "\"~^(?i:Bearer) t\\\\.2$\" 1;",
                "if ($testkit_bearer_ok = 0) { return 401; }",
                "proxy_set_header Host \"127.0.0.1:5000\";",
                "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "proxy_set_header Connection \"\";",
                "keepalive 16;");
    }

    @Test
    void aCustomHeaderIsCheckedThroughItsNginxVariable() {
        String conf = NginxConfig.render(settings(Path.of("/tmp/n")), AccessRules.none().withHeader("X-Api-Key", "k"),
                null, "gen-1");

        assertThat(conf).contains("map $http_x_api_key $testkit_header_ok_0 {", "\"~^k$\" 1;",
                "if ($testkit_header_ok_0 = 0) { return 401; }");
    }

    @Test
    void theGeneratedConfigurationPassesNginxsOwnTest(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Nginx.isAvailable());
        Path conf = dir.resolve("nginx.conf");
        // Without the "user" directive, so the test works for root and non-root alike.
        Files.writeString(conf, NginxConfig.render(settings(dir),
                AccessRules.none().withBearerTokens("a.b$c\"d\\e{f};g").withHeader("X-Api-Key", "k"), null, "g"));

        Executables.Result result = Executables.run(List.of(Nginx.binary().toString(), "-t", "-p", dir + "/",
                "-c", conf.toString(), "-e", dir.resolve("error.log").toString()), null, 10);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("test is successful");
    }

    @Test
    void accessRulesRefuseBasicTogetherWithBearer() {
        assertThatThrownBy(() -> AccessRules.none().withBasicUser("u", "p").withBearerTokens("t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.none().withBearerTokens("t").withBasicUser("u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.none().withBasicUser("a:b", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.none().withBearerTokens("has space"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.none().withHeader("X_Api_Key", "k"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessRules.none().withBearerTokens("new\nline"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessRulesNeverShowASecretInToString() {
        String text = AccessRules.none().withBasicUser("alice", "pw-secret").withHeader("X-Api-Key", "key-secret").toString();

        assertThat(text).contains("alice", "X-Api-Key").doesNotContain("pw-secret", "key-secret");
    }

    @Test
    void anUpstreamWithAPathIsRefused() {
        assertThatThrownBy(() -> Nginx.builder().upstream(URI.create("http://127.0.0.1:5000/mlflow")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nginx.builder().upstream(URI.create("ftp://127.0.0.1:5000")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mutualTls_listensWithSsl_requiresClientCertificates_andMovesTheProbeToAPlainPort() {
        NginxConfig.Tls tls = new NginxConfig.Tls(Path.of("/tmp/n/server-cert.pem"), Path.of("/tmp/n/server-key.pem"),
                Path.of("/tmp/n/client-ca.pem"));
        NginxConfig.Settings s = new NginxConfig.Settings(Path.of("/tmp/n"), 8443, URI.create("http://127.0.0.1:5000"), "0",
                false, false, "mlflow", List.of(), null, null, tls, 8081);
        String conf = NginxConfig.render(s, AccessRules.none(), null, "gen-1");

        assertThat(conf).contains("listen 127.0.0.1:8443 ssl;", "ssl_certificate \"/tmp/n/server-cert.pem\";",
                "ssl_certificate_key \"/tmp/n/server-key.pem\";", "ssl_client_certificate \"/tmp/n/client-ca.pem\";",
                "ssl_verify_client on;", "listen 127.0.0.1:8081;",
                "proxy_set_header X-Client-Certificate-Subject $ssl_client_s_dn;");
        String tlsServer = conf.substring(conf.indexOf("listen 127.0.0.1:8443"));
        assertThat(tlsServer).doesNotContain(NginxConfig.PROBE_PATH);
    }

    @Test
    void modulesLoadBeforeEverything_andHttpDirectivesGoInsideHttp() {
        NginxConfig.Settings s = new NginxConfig.Settings(Path.of("/tmp/n"), 8080, null, "0", false, false, "mlflow",
                List.of(), null, null, null, 8080, List.of(Path.of("/usr/lib/nginx/modules/ngx_http_js_module.so")),
                "js_import front from check.js;\nsubrequest_output_buffer_size 64k;\n");
        String conf = NginxConfig.render(s, AccessRules.none(), null, "gen-1");

        assertThat(conf.indexOf("load_module \"/usr/lib/nginx/modules/ngx_http_js_module.so\";"))
                .isGreaterThanOrEqualTo(0).isLessThan(conf.indexOf("daemon off;"));
        String http = conf.substring(conf.indexOf("http {"));
        assertThat(http).contains("    js_import front from check.js;\n", "    subrequest_output_buffer_size 64k;\n");
        assertThat(http.indexOf("js_import")).isLessThan(http.indexOf("server {"));
    }
}
