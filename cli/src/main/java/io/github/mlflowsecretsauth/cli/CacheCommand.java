package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.internal.CredentialText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code cache clear}: clears the credential cache of a running proxy. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"Manage the credential cache of a running proxy.",
            "The cache lives in memory only, inside a running proxy (or your Java process); nothing is ever "
                + "written to disk."},
        subcommands = {CacheCommand.Clear.class})
final class CacheCommand implements Runnable {
    @ParentCommand
    RootCommand root;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(root.context().out());
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = {"Clear a running proxy's credential cache.",
                "Its next request fetches a fresh secret.",
                "Sends POST /__mlflow-secrets-auth/cache/clear (accepted from loopback only)."})
    static final class Clear implements Callable<Integer> {
        @ParentCommand
        private CacheCommand cache;

        @Option(names = "--proxy", paramLabel = "URL", defaultValue = "http://127.0.0.1:5001",
                description = "The running proxy (default: ${DEFAULT-VALUE}).")
        private String proxy;

        @Override
        public Integer call() throws InterruptedException {
            CliContext ctx = cache.root.context();
            URI base = ConfigValues.httpUrl("--proxy", proxy);
            URI endpoint = URI.create(base.toString().replaceAll("/+$", "") + "/__mlflow-secrets-auth/cache/clear");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try {
                HttpRequest.Builder post = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody());
                ctx.settings().get(ProxySettings.CLIENT_TOKEN).ifPresent(t -> post.header("Authorization",
                        "Bearer " + CredentialText.requireSetting(t, ProxySettings.CLIENT_TOKEN)));
                HttpResponse<String> r = client.send(post.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ctx.out().println("✅ Cleared the credential cache of the proxy at " + base
                            + (r.body().contains("\"deferred\":true") ? " (merged with a clear less than 1 s ago: "
                            + "it takes effect at the end of that second)" : ""));
                    return 0;
                }
                if (r.statusCode() == 401) {
                    ctx.err().println("mlflow-secrets-auth: error: the proxy at " + base + " requires its client token: "
                            + "set " + ProxySettings.CLIENT_TOKEN + " to the token the proxy was started with");
                    return Main.EXIT_FAILURE;
                }
                ctx.err().println("mlflow-secrets-auth: error: the proxy at " + base + " answered HTTP " + r.statusCode()
                        + (r.statusCode() == 404 ? " (is it an mlflow-secrets-auth proxy?)" : ""));
                return Main.EXIT_FAILURE;
            } catch (ConnectException e) {
                ctx.err().println("mlflow-secrets-auth: error: no proxy is running at " + base
                        + ": start one with 'mlflow-secrets-auth proxy', or pass --proxy URL");
                return Main.EXIT_FAILURE;
            } catch (IOException e) {
                ctx.err().println("mlflow-secrets-auth: error: cannot reach the proxy at " + base + " (" + e.getClass().getSimpleName() + ")");
                return Main.EXIT_FAILURE;
            }
        }
    }
}
