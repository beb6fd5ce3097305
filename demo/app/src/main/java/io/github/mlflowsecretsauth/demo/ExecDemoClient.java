package io.github.mlflowsecretsauth.demo;

import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.util.List;

/**
 * A training client that knows nothing of this project, for {@code mlflow-secrets-auth exec -- java -cp DEMO_JAR
 * io.github.mlflowsecretsauth.demo.ExecDemoClient}: the official MLflow Java client, pointed by {@code exec} at its
 * proxy ({@code MLFLOW_TRACKING_URI}) with the proxy's per-run token ({@code MLFLOW_TRACKING_TOKEN}, which the MLflow
 * Java client does not read by itself, so it is passed here as its host credentials). It logs three runs to
 * {@code keycloak-demo} and checks they arrived. Exits 0 on success, 1 with a one-line reason otherwise.
 */
public final class ExecDemoClient {
    static final String EXPERIMENT = "keycloak-demo";

    private ExecDemoClient() {
    }

    public static void main(String[] args) {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        String token = System.getenv("MLFLOW_TRACKING_TOKEN");
        if (uri == null || token == null) {
            fail("MLFLOW_TRACKING_URI or MLFLOW_TRACKING_TOKEN is not set: run me through mlflow-secrets-auth exec -- ...");
        }
        try (MlflowClient client = new MlflowClient(new BasicMlflowHostCreds(uri, token))) {
            say("1. Talking to " + uri + " (exec's proxy; it adds the Keycloak token on the way to nginx)");
            String experimentId = client.getExperimentByName(EXPERIMENT).map(Experiment::getExperimentId)
                    .orElseGet(() -> client.createExperiment(EXPERIMENT));
            for (double alpha : List.of(0.1, 0.5, 0.9)) {
                RunInfo run = client.createRun(experimentId);
                client.logParam(run.getRunId(), "alpha", String.valueOf(alpha));
                for (int step = 0; step < 3; step++) {
                    client.logMetric(run.getRunId(), "rmse", 1.0 / (1 + alpha + step), System.currentTimeMillis(), step);
                }
                client.setTerminated(run.getRunId());
                say("2. Logged run " + run.getRunId() + " (alpha=" + alpha + ", 3 rmse values)");
            }
            int runs = client.searchRuns(List.of(experimentId), "").size();
            if (runs < 3) {
                fail("expected at least 3 runs in '" + EXPERIMENT + "', the server has " + runs);
            }
            say("3. Validated: the server holds " + runs + " runs in '" + EXPERIMENT + "'");
        } catch (MlflowClientException e) {
            fail("MLflow call failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
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
