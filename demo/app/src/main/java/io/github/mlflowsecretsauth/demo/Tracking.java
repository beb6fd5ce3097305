package io.github.mlflowsecretsauth.demo;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.tracking.MlflowClient;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The demo's MLflow tracking server, behind nginx: Python's own {@code mlflow server} when {@code run-local.sh} found a
 * Python {@code mlflow} (it passes the interpreter as {@code DEMO_MLFLOW_PYTHON}), else the testkit's in-memory server.
 */
interface Tracking extends AutoCloseable {
    /** The environment variable that names the Python interpreter with {@code mlflow}; unset means the testkit server. */
    String PYTHON = "DEMO_MLFLOW_PYTHON";

    /** Where nginx reaches the server (clients never do, in this story). */
    URI uri();

    /** One line for the banner: what runs. */
    String describe();

    /** The Python interpreter whose {@code mlflow} serves, for the Python client too; empty for the testkit server. */
    Optional<String> python();

    /** The process ids other than this JVM's that serve (to check or stop them from outside). */
    List<Long> pids();

    @Override
    void close();

    /** The number of runs in {@code experiment}, asked of the server directly (no credential needed there). */
    default int runs(String experiment) {
        try (MlflowClient client = new MlflowClient(uri().toString())) {
            return client.getExperimentByName(experiment).map(Experiment::getExperimentId)
                    .map(id -> client.searchRuns(List.of(id), "").size()).orElse(0);
        }
    }

    /** Starts the server {@code DEMO_MLFLOW_PYTHON} asks for; Python's keeps its database in {@code dataDir}. */
    static Tracking start(Path dataDir) {
        String python = System.getenv(PYTHON);
        if (python != null && !python.isBlank()) {
            return PythonMlflowServer.start(python, dataDir);
        }
        MlflowServer server = MlflowServer.builder().start();
        return new Tracking() {
            @Override
            public URI uri() {
                return server.uri();
            }

            @Override
            public String describe() {
                return "MLflow  " + server.uri() + "  (the testkit's tracking server; not reachable by clients directly in this story)";
            }

            @Override
            public Optional<String> python() {
                return Optional.empty();
            }

            @Override
            public List<Long> pids() {
                return List.of();
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }
}
