package io.github.mlflowsecretsauth.aws.testing;

import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** Principals and settings shared by the AWS tests. The secret keys double as canaries. */
public final class AwsFixtures {
    public static final String PROJECT_SECRET_KEY = "CANARYprojectSecretKey/Zx9+Qw7";
    public static final String GLOBAL_SECRET_KEY = "CANARYglobalSecretKey/Mn4+Lp2";
    public static final String SESSION_TOKEN = "CANARYsessionTokenFQoGZXIvYXdz";
    public static final AwsPrincipal PROJECT = AwsPrincipal.user("mlflow-project", "AKIAMLFLOWPROJECT001", PROJECT_SECRET_KEY);
    public static final AwsPrincipal GLOBAL = AwsPrincipal.user("main-project", "AKIAMAINPROJECT00001", GLOBAL_SECRET_KEY);
    public static final AwsPrincipal TEMPORARY = AwsPrincipal.assumedRole("mlflow-reader", "ASIAMLFLOWTEMP000001",
            "CANARYtemporarySecret/Rt5", SESSION_TOKEN);
    public static final String SECRET = "prod/mlflow/auth";
    public static final URI MLFLOW = URI.create("http://mlflow.company.com/api/2.0/mlflow/experiments/search");

    private AwsFixtures() {
    }

    /** A server that knows all three principals. */
    public static AwsServer server() {
        return AwsServer.builder().principal(PROJECT).principal(GLOBAL).principal(TEMPORARY).start();
    }

    /** The provider enabled for {@link #SECRET}, the server as endpoint, project keys only. */
    public static Map<String, String> settings(AwsServer aws) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "aws-secrets-manager");
        s.put("MLFLOW_AWS_SECRET_ID", SECRET);
        s.put("AWS_REGION", aws.region());
        s.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        s.put("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId());
        s.put("MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT.secretAccessKey());
        return s;
    }

    /** {@link #settings} plus the global AWS_* keys, as in the seed's two-project example. */
    public static Map<String, String> settingsWithGlobalKeys(AwsServer aws) {
        Map<String, String> s = settings(aws);
        s.put("AWS_ACCESS_KEY_ID", GLOBAL.accessKeyId());
        s.put("AWS_SECRET_ACCESS_KEY", GLOBAL.secretAccessKey());
        return s;
    }

    /** The same map without the given keys. */
    public static Map<String, String> without(Map<String, String> settings, String... names) {
        Map<String, String> s = new HashMap<>(settings);
        for (String n : names) {
            s.remove(n);
        }
        return s;
    }
}
