package io.github.mlflowsecretsauth.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What deploy/docker/Dockerfile promises, read from the file itself (the build is DockerImageIT's). */
class DockerfileTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Dockerfile dockerfile;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.read(Repo.dockerfile());
    }

    @Test
    void buildsTheCliJarWithMavenAndJdk17_thenRunsOnAJre17() {
        List<Dockerfile.Instruction> froms = dockerfile.all("FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).arguments()).contains("maven:").contains("temurin-17").endsWith("AS build");
        assertThat(froms.get(1).arguments()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(dockerfile.all("RUN").get(0).arguments()).contains("mvn ").contains("-pl cli -am package");
        assertThat(dockerfile.finalStage().all("COPY")).anySatisfy(c -> assertThat(c.arguments()).startsWith("--from=build "));
    }

    @Test
    void runtimeUserIsNumericAndNotRoot() {
        Dockerfile.Instruction user = dockerfile.finalStage().last("USER");
        assertThat(user).as("the final stage sets USER").isNotNull();
        String uid = user.arguments().split(":")[0];
        assertThat(uid).as("numeric, so Kubernetes' runAsNonRoot can check it").matches("[0-9]+");
        assertThat(Integer.parseInt(uid)).isPositive();
    }

    @Test
    void entryPointIsTheProxy_listeningOnAllInterfacesOnlyWithAClientToken() throws IOException {
        List<String> entry = List.of(JSON.readValue(dockerfile.last("ENTRYPOINT").arguments(), String[].class));
        assertThat(entry).startsWith("java").endsWith("-jar", "/opt/mlflow-secrets-auth/mlflow-secrets-auth.jar", "proxy");
        List<String> cmd = List.of(JSON.readValue(dockerfile.last("CMD").arguments(), String[].class));
        assertThat(cmd).containsSubsequence("--listen", "0.0.0.0:5001").contains("--allow-remote")
                .containsSubsequence("--client-token-file", "/run/secrets/mlflow-secrets-auth/client-token");
        assertThat(dockerfile.last("EXPOSE").arguments()).isEqualTo("5001");
    }

    @Test
    void healthCheckAsksTheProxysOwnHealthEndpoint() throws IOException {
        Dockerfile.Instruction check = dockerfile.last("HEALTHCHECK");
        assertThat(check).isNotNull();
        assertThat(check.arguments()).contains("CMD [\"/opt/mlflow-secrets-auth/healthcheck.sh\"]");
        String script = Files.readString(Repo.root().resolve("deploy/docker/healthcheck.sh"), StandardCharsets.UTF_8);
        // The path the script asks is the one the proxy serves (read from its source, so the two cannot drift).
        String proxySource = Files.readString(Repo.root().resolve(
                "proxy/src/main/java/io/github/mlflowsecretsauth/proxy/GuardHandler.java"), StandardCharsets.UTF_8);
        assertThat(proxySource).contains("PREFIX = \"/__mlflow-secrets-auth/\"");
        assertThat(Files.readString(Repo.root().resolve("proxy/src/main/java/io/github/mlflowsecretsauth/proxy/AdminEndpoints.java")))
                .contains("case \"health\"");
        assertThat(script).contains("/__mlflow-secrets-auth/health").contains("--config -")
                .as("the token goes to curl on stdin, never on its command line").doesNotContain("-H \"Authorization");
    }

    @Test
    void everyCopiedSourceExistsAndTheBuildContextLeavesOutBuildOutput() throws IOException {
        for (Dockerfile.Instruction copy : dockerfile.all("COPY")) {
            if (copy.arguments().startsWith("--from=")) {
                continue;
            }
            String source = copy.arguments().split(" ")[0];
            assertThat(Repo.root().resolve(source)).as(copy.toString()).exists();
        }
        Path ignore = Repo.root().resolve("deploy/docker/Dockerfile.dockerignore");
        assertThat(Files.readAllLines(ignore)).contains("**/target", ".git", ".env");
    }
}
