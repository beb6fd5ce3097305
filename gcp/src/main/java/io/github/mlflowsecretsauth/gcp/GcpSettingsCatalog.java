package io.github.mlflowsecretsauth.gcp;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.gcp.credentials.IamCredentialsEndpoint;
import io.github.mlflowsecretsauth.gcp.idtoken.GcpIdTokenProviderFactory;
import io.github.mlflowsecretsauth.gcp.secretmanager.SecretManagerProviderFactory;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

import static io.github.mlflowsecretsauth.config.SettingsSection.GCP_ID_TOKEN;
import static io.github.mlflowsecretsauth.config.SettingsSection.GCP_SECRET_MANAGER;

/** The gcp module's settings ({@link GcpConfigKeys}): Secret Manager, Application Default Credentials, ID tokens. */
public final class GcpSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(GCP_SECRET_MANAGER, GcpConfigKeys.SECRET_NAME, "", "`projects/P/secrets/S` (a project id or number), "
                        + "`projects/P/locations/L/secrets/S` for a regional secret, or the secret id `S` alone; a trailing "
                        + "`/versions/V` is accepted"),
                s(GCP_SECRET_MANAGER, GcpConfigKeys.PROJECT, "the key file's `project_id`", "the project of a secret id given alone"),
                s(GCP_SECRET_MANAGER, GcpConfigKeys.SECRET_VERSION, "`latest`", "`latest` (the most recently created version), "
                        + "a version number, or a version alias")));
        out.addAll(ProviderSettings.modeAndTtl("gcp", GCP_SECRET_MANAGER, new SecretManagerProviderFactory()));
        out.addAll(List.of(
                s(GCP_SECRET_MANAGER, GcpConfigKeys.APPLICATION_CREDENTIALS, "", "a credentials file: service-account key "
                        + "(`service_account`), workload identity federation (`external_account`), user credentials, impersonation"),
                s(GCP_SECRET_MANAGER, GcpConfigKeys.CLOUDSDK_CONFIG, "`~/.config/gcloud`", "where gcloud keeps "
                        + "`application_default_credentials.json` (`gcloud auth application-default login`)"),
                s(GCP_SECRET_MANAGER, GcpConfigKeys.METADATA_HOST, "`metadata.google.internal`", "the metadata server (Compute "
                        + "Engine, GKE workload identity, Cloud Run); read by the Google auth library from the process environment only"),
                s(GCP_SECRET_MANAGER, GcpConfigKeys.ENDPOINT, "`https://secretmanager.googleapis.com` (regional secrets: "
                        + "`https://secretmanager.L.rep.googleapis.com`)", "a Private Service Connect endpoint, an emulator or the "
                        + "testkit; https required except on a loopback address"),
                s(GCP_SECRET_MANAGER, GcpConfigKeys.CA_BUNDLE, "", "PEM file of CAs to trust for that endpoint"),
                s(GCP_ID_TOKEN, GcpConfigKeys.ID_TOKEN_AUDIENCE, "(required)", "the token's `aud`: the IAP OAuth client id "
                        + "(`…apps.googleusercontent.com`) or the Cloud Run service URL (`https://SERVICE-HASH-REGION.a.run.app`, no path); no "
                        + "spaces or control characters")));
        out.addAll(ProviderSettings.modeAndTtl("gcp", GCP_ID_TOKEN, new GcpIdTokenProviderFactory(), "`bearer`",
                "not used for the ID token, whose own `exp` is its lifetime; kept for symmetry"));
        out.add(s(GCP_ID_TOKEN, GcpConfigKeys.IAM_CREDENTIALS_ENDPOINT, "`" + IamCredentialsEndpoint.DEFAULT + "`", "where "
                + "impersonation's `generateIdToken` goes (the Google auth library always addresses the public host; the module's "
                + "HTTP transport sends those calls here instead): a Private Service Connect endpoint or a test double; https, except on "
                + "a loopback address; base URL only"));
        return out;
    }

    private static Setting s(SettingsSection section, String name, String defaultValue, String meaning) {
        return Setting.of("gcp", section, name, defaultValue, meaning);
    }
}
