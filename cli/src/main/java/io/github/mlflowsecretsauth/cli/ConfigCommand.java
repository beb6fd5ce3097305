package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code config}: the seed's "MLflow Configuration" summary (seed 000), and the credential provider. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print a summary of the MLflow configuration.",
            "Shows the tracking URI, the storage type and artifact root (MLFLOW_ARTIFACT_ROOT), which AWS "
                + "credentials MLflow uses (project-specific MLFLOW_AWS_*, global AWS_*, or the SDK's default chain) "
                + "and the AWS region, plus the secret provider and header.",
            "Contacts nothing and prints no secret."})
final class ConfigCommand implements Callable<Integer> {
    static final String ARTIFACT_ROOT = io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactSettings.ARTIFACT_ROOT;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    private RootCommand root;

    @Option(names = "--json", description = "Print the summary as JSON.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.context();
        Settings s = ctx.settings();
        root.configureLogging(s.get(ConfigKeys.LOG_LEVEL).orElse(null));
        ObjectNode n = JSON.createObjectNode();
        try (SecretsAuth engine = SecretsAuth.builder().settings(s).build();
             ProjectAwsCredentials aws = ProjectAwsCredentials.resolve(s)) {
            String artifactRoot = s.get(ARTIFACT_ROOT).orElse(null);
            n.put("tracking_uri", engine.config().trackingUriForDisplay().orElse("(not set)"));
            n.put("storage_type", storageType(artifactRoot));
            n.put("artifact_root", artifactRoot == null ? "(server default)" : artifactRoot);
            n.put("aws_credentials", aws.sourceLabel());
            n.put("aws_region", aws.region().map(r -> r.region().id() + " (" + r.from() + ")").orElse("(not set)"));
            n.put("secret_provider", engine.chain().isEmpty() ? "(none enabled)" : engine.chain().get(0).name()
                    + " (" + engine.chain().get(0).mode().id() + ")");
            n.put("auth_header", engine.config().headerName());
        }
        PrintWriter out = ctx.out();
        if (json) {
            out.println(JSON.writeValueAsString(n));
        } else {
            out.println("MLflow Configuration:");
            out.println("  Tracking URI: " + n.get("tracking_uri").asText());
            out.println("  Storage Type: " + n.get("storage_type").asText());
            out.println("  Artifact Root: " + n.get("artifact_root").asText());
            out.println("  AWS Credentials: " + n.get("aws_credentials").asText());
            out.println("  AWS Region: " + n.get("aws_region").asText());
            out.println("  Secret Provider: " + n.get("secret_provider").asText());
            out.println("  Auth Header: " + n.get("auth_header").asText());
        }
        out.flush();
        return 0;
    }

    static String storageType(String artifactRoot) {
        if (artifactRoot == null) {
            return "Tracking server default";
        }
        String r = artifactRoot.toLowerCase(Locale.ROOT);
        if (r.startsWith("s3://") || r.startsWith("s3a://")) {
            return "S3 (Remote)";
        }
        if (r.startsWith("mlflow-artifacts:")) {
            return "MLflow artifacts (proxied by the tracking server)";
        }
        if (r.startsWith("gs://")) {
            return "Google Cloud Storage (Remote)";
        }
        if (r.startsWith("wasbs://") || r.startsWith("abfss://")) {
            return "Azure Blob Storage (Remote)";
        }
        return "Local";
    }
}
