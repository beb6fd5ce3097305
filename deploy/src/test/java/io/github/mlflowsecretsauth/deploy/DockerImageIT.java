package io.github.mlflowsecretsauth.deploy;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds deploy/docker/Dockerfile when a Docker engine answers ({@code docker info} succeeds) and checks the image:
 * non-root user, health check, the proxy as entry point. Skipped, with a message, when no engine answers.
 */
class DockerImageIT {
    private static final String TAG = "mlflow-secrets-auth:deploy-check";

    @BeforeAll
    static void engineAnswers() throws Exception {
        Result info = run(60, "docker", "info");
        Assumptions.assumeTrue(info.code() == 0,
                "no Docker engine answers (docker info failed): the Dockerfile is not built; start Docker to check it");
    }

    @Test
    void imageBuilds_runsAsNonRoot_withHealthCheck_andTheProxyAsEntryPoint() throws Exception {
        Result build = run(1500, "docker", "build", "-f", Repo.dockerfile().toString(), "-t", TAG, Repo.root().toString());
        assertThat(build.code()).as("docker build: %s", build.tail()).isZero();

        Result user = run(60, "docker", "image", "inspect", "--format", "{{.Config.User}}", TAG);
        assertThat(user.output().strip()).isEqualTo("10001:10001");
        Result health = run(60, "docker", "image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", TAG);
        assertThat(health.output()).contains("/opt/mlflow-secrets-auth/healthcheck.sh");

        Result help = run(120, "docker", "run", "--rm", TAG, "--help");
        assertThat(help.code()).as(help.tail()).isZero();
        assertThat(help.output()).contains("Usage: mlflow-secrets-auth proxy");

        // No client token: listening on 0.0.0.0 is refused with one line that says how to fix it.
        Result noToken = run(120, "docker", "run", "--rm", "-e", "MLFLOW_SECRETS_AUTH_ENABLE=env",
                "-e", "MLFLOW_TRACKING_TOKEN=deploy-check-not-a-secret", "-e", "MLFLOW_TRACKING_URI=http://mlflow.invalid:5000",
                TAG, "--listen", "0.0.0.0:5001", "--allow-remote");
        assertThat(noToken.code()).isNotZero();
        assertThat(noToken.output()).contains("client token");
    }

    record Result(int code, String output) {
        String tail() {
            return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
        }
    }

    static Result run(long timeoutSec, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, "cannot run " + command[0] + ": " + e.getMessage());
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, "timed out after " + timeoutSec + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
