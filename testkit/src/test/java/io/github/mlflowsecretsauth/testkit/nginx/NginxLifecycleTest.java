package io.github.mlflowsecretsauth.testkit.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxLifecycleTest {

    private final Http http = new Http();
    private EchoUpstream upstream;

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
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void closeStopsTheMasterAndItsWorkersAndDeletesTheDirectory() throws Exception {
        Nginx nginx = Nginx.builder().upstream(upstream.uri()).start();
        long master = nginx.pid();
        List<ProcessHandle> family = ProcessHandle.of(master).orElseThrow().descendants().collect(Collectors.toList());
        assertThat(family).as("nginx has a worker").isNotEmpty();
        assertThat(Files.readString(nginx.directory().resolve("nginx.pid")).strip()).isEqualTo(Long.toString(master));
        Path directory = nginx.directory();

        nginx.close();

        assertThat(ProcessHandle.of(master).map(ProcessHandle::isAlive)).as("master").isNotEqualTo(java.util.Optional.of(true));
        assertThat(family).noneMatch(ProcessHandle::isAlive);
        assertThat(directory).doesNotExist();
        assertThat(nginx.errorLog()).as("the error log outlives close()").contains("start worker process");
        nginx.close();  // idempotent
    }

    @Test
    void aNonRootStartOrARootStartWithUnprivilegedWorkersServes() throws Exception {
        try (Nginx nginx = Nginx.builder().upstream(upstream.uri()).basicAuth("u", "p").start()) {
            ProcessHandle master = ProcessHandle.of(nginx.pid()).orElseThrow();
            String masterUser = master.info().user().orElseThrow();
            List<String> workerUsers = master.children().map(p -> p.info().user().orElse("?")).toList();

            if (masterUser.equals("root")) {
                assertThat(workerUsers).isNotEmpty().allMatch(u -> u.equals("www-data") || u.equals("nobody"));
                assertThat(nginx.config()).containsPattern("(?m)^user (www-data|nobody) \\S+;$");
            } else {
                assertThat(workerUsers).containsOnly(masterUser);
                assertThat(nginx.config()).doesNotContainPattern("(?m)^user ");
            }
            assertThat(http.get(nginx.uri(), "/", "Authorization", Http.basic("u", "p")).statusCode())
                    .as("the workers can read the htpasswd file\n%s", nginx.errorLog()).isEqualTo(200);
        }
    }

    @Test
    void theConfigurationKeepsEveryPathInItsOwnDirectoryAndRunsInTheForeground() {
        try (Nginx nginx = Nginx.builder().upstream(upstream.uri()).start()) {
            String dir = nginx.directory().toString();

            assertThat(nginx.config()).contains(
                    "daemon off;", "master_process on;", "worker_processes 1;",
                    "pid \"" + dir + "/nginx.pid\";",
                    "error_log \"" + dir + "/error.log\"",
                    "access_log \"" + dir + "/access.log\";",
                    "client_body_temp_path \"" + dir + "/client_body_temp\";",
                    "proxy_temp_path \"" + dir + "/proxy_temp\";",
                    "fastcgi_temp_path \"" + dir + "/fastcgi_temp\";",
                    "uwsgi_temp_path \"" + dir + "/uwsgi_temp\";",
                    "scgi_temp_path \"" + dir + "/scgi_temp\";",
                    "listen 127.0.0.1:" + nginx.port() + ";",
                    "proxy_http_version 1.1;");
            assertThat(nginx.uri().toString()).isEqualTo("http://127.0.0.1:" + nginx.port());
        }
    }

    @Test
    void aRedirectLocationAnswersWithItsLocationAfterTheBearerCheck() throws Exception {
        try (Nginx nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("tok")
                .location("/get-artifact", "return 302 http://127.0.0.2:9/elsewhere$request_uri;")
                .start()) {

            HttpResponse<String> anonymous = http.get(nginx.uri(), "/get-artifact?path=model.pkl");
            HttpResponse<String> allowed = http.get(nginx.uri(), "/get-artifact?path=model.pkl",
                    "Authorization", "Bearer tok");

            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(allowed.statusCode()).isEqualTo(302);
            assertThat(allowed.headers().firstValue("Location"))
                    .contains("http://127.0.0.2:9/elsewhere/get-artifact?path=model.pkl");
            assertThat(upstream.requests()).isEmpty();
        }
    }

    @Test
    void aLocationCanAnswer429WithRetryAfterWhileOtherPathsReachTheUpstream() throws Exception {
        try (Nginx nginx = Nginx.builder().upstream(upstream.uri())
                .location("= /api/2.0/mlflow/runs/log-metric", "add_header Retry-After 1 always;\nreturn 429;")
                .start()) {

            HttpResponse<String> limited = http.get(nginx.uri(), "/api/2.0/mlflow/runs/log-metric");
            HttpResponse<String> other = http.get(nginx.uri(), "/api/2.0/mlflow/runs/get");

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).contains("1");
            assertThat(other.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAnUpstreamOnlyTheExtraLocationsAnswer() throws Exception {
        try (Nginx nginx = Nginx.builder().location("/ok", "return 204;").start()) {
            assertThat(http.get(nginx.uri(), "/ok").statusCode()).isEqualTo(204);
            assertThat(http.get(nginx.uri(), "/other").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aFixedPortIsUsedAndATakenFixedPortFailsWithNginxsReason() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        try (Nginx nginx = Nginx.builder().upstream(upstream.uri()).port(port).start()) {
            assertThat(nginx.port()).isEqualTo(port);
            assertThat(http.get(nginx.uri(), "/").statusCode()).isEqualTo(200);
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> Nginx.builder().port(taken.getLocalPort()).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void aConfigurationNginxRejectsFailsTheStartWithItsErrorAndLeavesNothingBehind(@TempDir Path parent) throws Exception {
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx--x--x"));
        assertThatThrownBy(() -> Nginx.builder().upstream(upstream.uri())
                .workDirectoryIn(parent)
                .location("/broken", "no_such_directive on;")
                .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown directive \"no_such_directive\"");

        try (var left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void asRootADirectoryTheWorkersCannotTraverseIsRefusedBeforeNginxStarts(@TempDir Path parent) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root runs workers as another user");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> Nginx.builder().workDirectoryIn(parent).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot traverse " + parent);
        try (var left = Files.list(parent)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theNotInstalledMessageNamesTheInstallCommandOnOneLine() {
        assertThat(Nginx.NOT_INSTALLED).isEqualTo("nginx is not installed: apt-get install nginx").doesNotContain("\n");
        assertThat(Nginx.binary()).isAbsolute().isExecutable();
    }
}
