package io.github.mlflowsecretsauth.gcp.secretmanager;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret to read, from {@code MLFLOW_GCP_SECRET_NAME}: a full resource name
 * {@code projects/P/secrets/S} (regional secrets: {@code projects/P/locations/L/secrets/S}, optionally
 * ending in {@code /versions/V}), or a secret id {@code S} whose project comes from
 * {@code GOOGLE_CLOUD_PROJECT} or the credentials (a service-account key's {@code project_id}).
 * Names are checked against Google's rules; messages never echo the value. Immutable.
 *
 * @param project     project id or number
 * @param location    the region of a regional secret
 * @param secret      the secret id
 * @param version     a version in the resource name, if it had one
 * @param projectFrom where the project came from, for reports
 */
public record SecretName(String project, Optional<String> location, String secret, Optional<String> version, String projectFrom) {
    private static final String PROJECT_ID = "(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]";
    private static final Pattern PROJECT = Pattern.compile(PROJECT_ID + "|[0-9]{1,20}");
    private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern LOCATION = Pattern.compile("[a-z][a-z0-9-]{1,62}");
    private static final Pattern FULL = Pattern.compile("projects/([^/]+)(?:/locations/([^/]+))?/secrets/([^/]+)(?:/versions/([^/]+))?");
    private static final String FORMAT = "expected projects/<project>/secrets/<secret> or a secret id (letters, digits, - and _, "
            + "at most 255) with " + GcpConfigKeys.PROJECT;

    /** Whether the value is a full resource name (so no project setting is needed). */
    static boolean isFull(String raw) {
        return raw.startsWith("projects/");
    }

    static SecretName parse(Settings s, Optional<String> credentialsProject) {
        String raw = ConfigValues.required(s, GcpConfigKeys.SECRET_NAME, "set it to projects/<project>/secrets/<secret>, or to the "
                + "secret id with " + GcpConfigKeys.PROJECT);
        if (isFull(raw)) {
            Matcher m = FULL.matcher(raw);
            if (!m.matches()) {
                throw new ConfigurationException(GcpConfigKeys.SECRET_NAME + " is not a Secret Manager resource name: " + FORMAT);
            }
            String project = checkProject(m.group(1), GcpConfigKeys.SECRET_NAME);
            Optional<String> location = Optional.ofNullable(m.group(2));
            if (location.isPresent() && !LOCATION.matcher(location.get()).matches()) {
                throw new ConfigurationException(GcpConfigKeys.SECRET_NAME + " has an invalid location: expected a region such as us-central1");
            }
            return new SecretName(project, location, checkSecret(m.group(3)), Optional.ofNullable(m.group(4)), GcpConfigKeys.SECRET_NAME);
        }
        String secret = checkSecret(raw);
        Optional<String> fromSetting = s.get(GcpConfigKeys.PROJECT);
        if (fromSetting.isPresent()) {
            return new SecretName(checkProject(fromSetting.get(), GcpConfigKeys.PROJECT), Optional.empty(), secret, Optional.empty(),
                    GcpConfigKeys.PROJECT);
        }
        String project = credentialsProject.orElseThrow(() -> new ConfigurationException(GcpConfigKeys.SECRET_NAME
                + " is a secret id but no project is known: set " + GcpConfigKeys.PROJECT + " or use projects/<project>/secrets/<secret>"));
        return new SecretName(checkProject(project, "the credentials' project_id"), Optional.empty(), secret, Optional.empty(),
                "the credentials' project_id");
    }

    private static String checkProject(String project, String variable) {
        if (!PROJECT.matcher(project).matches()) {
            throw new ConfigurationException(variable + " is not a Google Cloud project id: expected 6 to 30 lower-case letters, "
                    + "digits and hyphens, starting with a letter (e.g. my-project-123), or a project number");
        }
        return project;
    }

    private static String checkSecret(String secret) {
        if (!SECRET_ID.matcher(secret).matches()) {
            throw new ConfigurationException(GcpConfigKeys.SECRET_NAME + " is not a valid secret id: " + FORMAT);
        }
        return secret;
    }

    /** {@code projects/P[/locations/L]/secrets/S}. */
    public String resource() {
        return "projects/" + project + location.map(l -> "/locations/" + l).orElse("") + "/secrets/" + secret;
    }

    @Override
    public String toString() {
        return resource();
    }
}
