package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactClient;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactException;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactStores;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.proxy.ClientToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code artifacts upload|download|list}: a run's artifacts, natively (no Python), through the embedded proxy. */
@Command(name = "artifacts", mixinStandardHelpOptions = true,
        description = {"Upload, download and list a run's artifacts, without Python.",
            "Works on the store that the run's artifact_uri names (mlflow-artifacts through the tracking server, "
                + "file:, s3:// with the AWS module), with the credential added as for every MLflow call. "
                + "The server is MLFLOW_TRACKING_URI."},
        subcommands = {ArtifactsCommand.Upload.class, ArtifactsCommand.Download.class, ArtifactsCommand.ListFiles.class})
final class ArtifactsCommand implements Runnable {
    @ParentCommand
    RootCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(root.context().out());
    }

    /** How progress is shown. */
    enum Progress { auto, bar, plain }

    <T> T withClient(String runId, Function<ArtifactClient, T> action) {
        CliContext ctx = root.context();
        root.configureLogging(ctx.settings().get(ConfigKeys.LOG_LEVEL).orElse("WARN"));
        try (SecretsAuth engine = ctx.engine()) {
            ProxySettings.requireProvider(engine);
            URI tracking = ProxySettings.upstream(null, engine);
            // As MlflowSecretsAuth.artifacts(engine, uri, runId), without loading the official client's classes
            // (the CLI does not ship them).
            // Its proxy serves only this command: a fresh token per run, so no other local process can use it meanwhile.
            String token = ClientToken.random();
            AuthProxy proxy = ProxySettings.builder(engine, tracking).listen("127.0.0.1", 0).clientToken(token).start();
            ArtifactClient client;
            try {
                client = ArtifactClient.forRun(runId, ArtifactStores.create(tracking, proxy.uri(), ClientToken.authorization(token),
                        engine.settings()), proxy);
            } catch (RuntimeException e) {
                proxy.close();
                throw e;
            }
            try (client) {
                return action.apply(client);
            }
        }
    }

    TransferPrinter printer(Progress progress, String verb) {
        CliContext ctx = root.context();
        boolean bar = progress == Progress.bar || (progress == Progress.auto && System.console() != null);
        return new TransferPrinter(ctx.out(), ctx.err(), bar, verb);
    }

    @Command(name = "upload", mixinStandardHelpOptions = true,
            description = {"Upload a file, or a directory's whole tree, to a run's artifacts.",
                "Large files use MLflow's multipart upload where the server offers it (see docs/ARTIFACTS.md)."})
    static final class Upload implements Callable<Integer> {
        @ParentCommand
        private ArtifactsCommand artifacts;

        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
        private String runId;

        @Parameters(index = "1", paramLabel = "PATH", description = "A local file or directory.")
        private Path path;

        @Option(names = "--artifact-path", paramLabel = "P", description = "The directory under the run's artifacts (default: the root).")
        private String artifactPath;

        @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
                description = "auto (a bar on a terminal, plain lines otherwise), bar or plain.")
        private Progress progress;

        @Override
        public Integer call() {
            if (!Files.exists(path)) {
                throw new ArtifactException("no such file or directory: " + path);
            }
            TransferPrinter printer = artifacts.printer(progress, "uploaded");
            String root = artifacts.withClient(runId, client -> {
                ArtifactClient c = client.withListener(printer);
                if (Files.isDirectory(path)) {
                    c.logArtifacts(path, artifactPath);
                } else {
                    c.logArtifact(path, artifactPath);
                }
                return client.artifactUri() + (artifactPath == null || artifactPath.isBlank() ? "" : "/" + artifactPath);
            });
            artifacts.root.context().out().println("✅ Uploaded " + printer.count() + " file(s), "
                    + TransferPrinter.size(printer.bytes()) + ", to " + root);
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = {"Download a run's artifact file or directory into a local directory.",
                "Directories are downloaded recursively (default: everything) into DIR, at DIR/PATH. "
                    + "A transfer that fails leaves no file under its final name."})
    static final class Download implements Callable<Integer> {
        @ParentCommand
        private ArtifactsCommand artifacts;

        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
        private String runId;

        @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", description = "An artifact file or directory (default: all).")
        private String path;

        @Option(names = "--dest", paramLabel = "DIR", required = true, description = "The local directory to download into.")
        private Path dest;

        @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
                description = "auto (a bar on a terminal, plain lines otherwise), bar or plain.")
        private Progress progress;

        @Override
        public Integer call() {
            TransferPrinter printer = artifacts.printer(progress, "downloaded");
            Path local = artifacts.withClient(runId, client -> client.withListener(printer).downloadArtifacts(path, dest));
            artifacts.root.context().out().println("✅ Downloaded " + printer.count() + " file(s), "
                    + TransferPrinter.size(printer.bytes()) + ", to " + local);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the artifacts directly under PATH (default: the run's root).")
    static final class ListFiles implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @ParentCommand
        private ArtifactsCommand artifacts;

        @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
        private String runId;

        @Parameters(index = "1", paramLabel = "PATH", arity = "0..1", description = "An artifact directory (default: the root).")
        private String path;

        @Option(names = "--json", description = "Print JSON: {\"run_id\", \"root_uri\", \"files\": [{\"path\", \"is_dir\", \"file_size\"}]}.")
        private boolean json;

        @Override
        public Integer call() throws Exception {
            record Listing(String root, List<ArtifactInfo> files) {}
            Listing listing = artifacts.withClient(runId, client -> new Listing(client.artifactUri().toString(), client.listArtifacts(path)));
            CliContext ctx = artifacts.root.context();
            if (json) {
                ObjectNode node = JSON.createObjectNode().put("run_id", runId).put("root_uri", listing.root());
                ArrayNode files = node.putArray("files");
                for (ArtifactInfo info : listing.files()) {
                    ObjectNode file = files.addObject().put("path", info.path()).put("is_dir", info.isDir());
                    info.fileSize().ifPresent(size -> file.put("file_size", size));
                }
                ctx.out().println(JSON.writeValueAsString(node));
                return 0;
            }
            ctx.out().println(listing.root() + (path == null || path.isBlank() ? "" : "/" + path) + ":");
            if (listing.files().isEmpty()) {
                ctx.out().println("  (no artifacts)");
            }
            for (ArtifactInfo info : listing.files()) {
                String size = info.isDir() ? "dir" : info.fileSize().isPresent() ? TransferPrinter.size(info.fileSize().getAsLong()) : "?";
                ctx.out().printf("  %10s  %s%s%n", size, info.path(), info.isDir() ? "/" : "");
            }
            return 0;
        }
    }
}
