package io.github.mlflowsecretsauth.demo;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;

import java.util.List;
import java.util.Optional;

/**
 * The demo's training client, the Java twin of the seed's {@code client/demo.py}: it uses only the
 * environment (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_AUTH=mlflow_secrets_auth and the Vault settings),
 * logs a few runs to an experiment through {@link MlflowSecretsAuth#mlflowClient()}, and checks that
 * they arrived. Exits 0 on success, 1 with a one-line reason otherwise.
 */
public final class DemoClient {
    private static final String EXPERIMENT = "mlflow-secrets-auth-demo";

    private DemoClient() {
    }

    public static void main(String[] args) {
        String mode = Optional.ofNullable(System.getenv("MLFLOW_VAULT_AUTH_MODE")).orElse("bearer");
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient()) {
            say("1. Plugin configured: credentials from Vault (" + System.getenv("MLFLOW_VAULT_SECRET_PATH") + "), auth mode " + mode);
            Experiment defaults = client.getExperiment("0");
            say("2. Connected to MLflow at " + System.getenv("MLFLOW_TRACKING_URI") + " (experiment '" + defaults.getName() + "' visible)");
            String experimentId = client.getExperimentByName(EXPERIMENT).map(Experiment::getExperimentId)
                    .orElseGet(() -> client.createExperiment(EXPERIMENT));
            List<Double> alphas = List.of(0.1, 0.5, 0.9);
            for (double alpha : alphas) {
                RunInfo run = client.createRun(experimentId);
                client.setTag(run.getRunId(), "auth_mode", mode);
                client.logParam(run.getRunId(), "alpha", String.valueOf(alpha));
                for (int step = 0; step < 3; step++) {
                    client.logMetric(run.getRunId(), "rmse", 1.0 / (1 + alpha + step), System.currentTimeMillis(), step);
                }
                client.setTerminated(run.getRunId());
                say("3. Logged run " + run.getRunId() + " (alpha=" + alpha + ", 3 rmse values)");
            }
            List<RunInfo> runs = client.searchRuns(List.of(experimentId), "tags.auth_mode = '" + mode + "'");
            if (runs.size() < alphas.size()) {
                fail("expected " + alphas.size() + " runs with auth_mode=" + mode + ", the server has " + runs.size());
            }
            say("4. Validated: the server holds " + runs.size() + " runs with auth_mode=" + mode + " in '" + EXPERIMENT + "'");
        } catch (SecretsAuthException e) {
            fail(e.getMessage());
        } catch (MlflowClientException e) {
            String msg = String.valueOf(e.getMessage());
            fail(msg.contains("401") ? "MLflow authentication error (HTTP 401): Invalid credentials (check the secret in Vault)"
                    : msg.contains("403") ? "MLflow authentication error (HTTP 403): Access forbidden" : "MLflow call failed: "
                    + msg.lines().findFirst().orElse(""));
        }
    }

    private static void say(String line) {
        System.out.println("    " + line);
    }

    private static void fail(String reason) {
        System.out.flush();
        System.err.println("    ❌ " + reason);
        System.exit(1);
    }
}
