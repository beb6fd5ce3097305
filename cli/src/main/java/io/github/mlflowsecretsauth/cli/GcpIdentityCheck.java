package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.gcp.idtoken.GcpIdTokenProviderFactory;
import io.github.mlflowsecretsauth.gcp.secretmanager.SecretManagerProviderFactory;

/**
 * {@code doctor}'s Google check, when the gcp-secret-manager provider is in use: Application Default
 * Credentials are found and yield an access token. Shows the identity source, the service account
 * and the token endpoint, never a key or token.
 */
final class GcpIdentityCheck {
    private GcpIdentityCheck() {
    }

    static boolean applies(SecretsAuth engine) {
        return engine.chain().stream().anyMatch(b -> b.name().equals(SecretManagerProviderFactory.NAME)
                || b.name().equals(GcpIdTokenProviderFactory.NAME));
    }

    static Check run(Settings settings) {
        Check c = new Check("Google credentials", Status.OK);
        try {
            GoogleIdentity id = GoogleIdentity.resolve(settings);
            c.detail("Source", id.label());
            id.describe().forEach((k, v) -> {
                if (!k.equals("credentials")) {
                    c.detail(Character.toUpperCase(k.charAt(0)) + k.substring(1), v);
                }
            });
            id.accessToken();
            c.detail("Access token", "obtained" + id.tokenExpiresAt().map(t -> ", expires " + t).orElse(""));
        } catch (SecretsAuthException e) {
            c.status(Status.FAIL).error(e.getMessage()).solution("fix the Google credentials named above (GOOGLE_APPLICATION_CREDENTIALS, "
                    + "gcloud auth application-default login, or the metadata server)");
        }
        return c;
    }
}
