package io.github.mlflowsecretsauth.gcp.testing;

import io.github.mlflowsecretsauth.testkit.gcp.GcpSecretManagerServer;
import io.github.mlflowsecretsauth.testkit.gcp.ServiceAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A testkit Secret Manager with one service account ({@code mlflow-reader}) whose key file lives in
 * a test's temporary directory, and the settings that point the provider at both. The settings set
 * {@code CLOUDSDK_CONFIG} to an empty directory so that a developer's own gcloud login never joins in.
 */
public final class GcpFixtures implements AutoCloseable {
    public static final String SECRET = "mlflow-auth";
    public static final String RESOURCE = "projects/mlflow-prod/secrets/" + SECRET;
    public static final URI MLFLOW = URI.create("http://mlflow.company.com/api/2.0/mlflow/experiments/search");

    public final GcpSecretManagerServer server;
    public final ServiceAccount reader;
    public final Path keyFile;
    public final Path gcloudConfig;

    private GcpFixtures(GcpSecretManagerServer server, ServiceAccount reader, Path keyFile, Path gcloudConfig) {
        this.server = server;
        this.reader = reader;
        this.keyFile = keyFile;
        this.gcloudConfig = gcloudConfig;
    }

    public static GcpFixtures start(Path dir) {
        GcpSecretManagerServer server = GcpSecretManagerServer.builder().start();
        ServiceAccount reader = server.createServiceAccount("mlflow-reader");
        try {
            Path gcloud = Files.createDirectories(dir.resolve("gcloud"));
            return new GcpFixtures(server, reader, server.writeKeyFile(reader, dir.resolve("key.json")), gcloud);
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        }
    }

    /** The provider enabled for {@link #RESOURCE}, the key file as credentials, the server as endpoint. */
    public Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager");
        s.put("MLFLOW_GCP_SECRET_NAME", RESOURCE);
        s.put("GOOGLE_APPLICATION_CREDENTIALS", keyFile.toString());
        s.put("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", server.endpoint().toString());
        s.put("CLOUDSDK_CONFIG", gcloudConfig.toString());
        return s;
    }

    /** {@link #settings()} with overrides; an empty value removes the setting. */
    public Map<String, String> settings(String... overrides) {
        Map<String, String> s = settings();
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1].isEmpty()) {
                s.remove(overrides[i]);
            } else {
                s.put(overrides[i], overrides[i + 1]);
            }
        }
        return s;
    }

    @Override
    public void close() {
        server.close();
    }
}
