package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.AuthStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code status}: the seed SDK's authentication status, plus provider, header and allowlist. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the authentication status, without printing a secret.",
            "Reports what the Python package's get_mlflow_auth_status() does (tracking_uri, auth_type, is_configured, "
                + "is_remote), plus the provider, the header name and whether the tracking host is on the allowlist. "
                + "With --check, fetches the credential once and shows its age and next refresh."})
final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @ParentCommand
    private RootCommand root;

    @Option(names = "--json", description = "Print the status as JSON.")
    private boolean json;

    @Option(names = "--check", description = "Fetch the credential once, to report its age and next refresh.")
    private boolean check;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.context();
        root.configureLogging(ctx.settings().get(ConfigKeys.LOG_LEVEL).orElse(null));
        try (SecretsAuth engine = ctx.engine()) {
            String fetchError = null;
            if (check && engine.isConfigured()) {
                try {
                    engine.currentSnapshot();
                } catch (SecretsAuthException e) {
                    fetchError = e.getMessage();
                }
            }
            AuthStatus s = engine.status();
            ObjectNode n = JSON.createObjectNode();
            n.put("tracking_uri", s.trackingUri().orElse(null));
            n.put("auth_type", s.authType());
            n.put("is_configured", s.configured());
            n.put("is_remote", s.remote());
            n.put("provider", s.provider().orElse(null));
            n.put("header_name", s.headerName());
            s.hostAllowed().ifPresentOrElse(a -> n.put("host_allowed", a), () -> n.putNull("host_allowed"));
            n.put("mode", s.mode());
            n.put("cache_state", s.cacheState());
            s.credentialAge().ifPresentOrElse(a -> n.put("credential_age_seconds", a.toSeconds()), () -> n.putNull("credential_age_seconds"));
            n.put("next_refresh", s.nextRefresh().map(Object::toString).orElse(null));
            if (fetchError != null) {
                n.put("error", fetchError);
            }
            PrintWriter out = ctx.out();
            if (json) {
                out.println(JSON.writeValueAsString(n));
            } else {
                out.println("MLflow Secrets Auth – Status");
                out.println("============================");
                n.fields().forEachRemaining(e -> out.println(e.getKey() + ": " + (e.getValue().isNull() ? "-" : e.getValue().asText())));
                if (!check && s.configured()) {
                    out.println("(credential not fetched by this command: use --check, or a proxy's /__mlflow-secrets-auth/health)");
                }
            }
            out.flush();
            if (fetchError != null) {
                ctx.err().println("mlflow-secrets-auth: error: " + fetchError);
                return Main.EXIT_FAILURE;
            }
            return 0;
        }
    }
}
