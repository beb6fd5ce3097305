package io.github.mlflowsecretsauth.reliability;

import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * A child for {@code exec} that uses the official MLflow Java client 2.17.2: first as most code does
 * ({@code new MlflowClient(uri)}, which reads no token from the environment for an http URI), then with
 * {@code MLFLOW_TRACKING_TOKEN} passed explicitly. Prints one {@code CHILD} line for each.
 */
public final class OfficialClientChild {
    private OfficialClientChild() {
    }

    public static void main(String[] args) {
        String uri = System.getenv("MLFLOW_TRACKING_URI");
        try (MlflowClient plain = new MlflowClient(uri)) {
            plain.createExperiment(args[0] + "-plain");
            System.out.println("CHILD plain 200");
        } catch (MlflowHttpException e) {
            System.out.println("CHILD plain " + e.getStatusCode());
        }
        try (MlflowClient withToken = new MlflowClient(new BasicMlflowHostCreds(uri, System.getenv("MLFLOW_TRACKING_TOKEN")))) {
            withToken.createExperiment(args[0] + "-token");
            System.out.println("CHILD token 200");
        } catch (MlflowHttpException e) {
            System.out.println("CHILD token " + e.getStatusCode());
        }
    }
}
