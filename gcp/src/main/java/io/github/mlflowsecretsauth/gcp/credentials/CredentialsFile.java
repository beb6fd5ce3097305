package io.github.mlflowsecretsauth.gcp.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google credentials JSON file (a service-account key, gcloud's user credentials, a workload
 * identity federation configuration, an impersonation configuration), read and checked before the
 * Google auth library sees it, so that a bad file gets a one-line message naming the variable and
 * reports can show the identity without touching the key. {@link #describe()} holds only non-secret
 * fields (type, e-mail, client id, project, token endpoint, audience). Immutable.
 *
 * @param path     where it was read from
 * @param bytes    the file's content, handed to the library
 * @param type     its {@code type} field
 * @param variable the setting or place that named the file, for messages
 * @param json     the parsed file, read for its non-secret fields only
 */
record CredentialsFile(Path path, byte[] bytes, String type, String variable, JsonNode json) {
    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 256 * 1024;
    private static final Pattern IMPERSONATED = Pattern.compile(".*/serviceAccounts/([^/:]+):generateAccessToken");

    static CredentialsFile read(Path path, String variable) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(path)) {
                throw new ConfigurationException(variable + ": " + path + " does not exist or is not a file: point it at a Google "
                        + "credentials JSON file (a service-account key or a workload identity federation configuration)");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new ConfigurationException(variable + ": " + path + " is too large for a Google credentials file");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigurationException(variable + ": cannot read " + path + " (" + e.getClass().getSimpleName()
                    + "): check the file's permissions");
        }
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            // Not echoed: the parser's message can quote the file, and the file holds a private key.
            throw new ConfigurationException(variable + ": " + path + " is not a JSON object: expected a Google credentials file");
        }
        String type = json.path("type").asText("");
        switch (type) {
            case "service_account", "authorized_user", "external_account", "impersonated_service_account",
                 "external_account_authorized_user", "gdch_service_account" -> {
                return new CredentialsFile(path, bytes, type, variable, json);
            }
            default -> throw new ConfigurationException(variable + ": " + path + " has " + (type.isEmpty() ? "no type" : "the unsupported type '"
                    + type.replaceAll("[^A-Za-z0-9_.-]", "?") + "'") + ": expected a service-account key (service_account), gcloud user "
                    + "credentials (authorized_user) or a workload identity federation file (external_account)");
        }
    }

    /** A readable name of the identity kind. */
    String kind() {
        return switch (type) {
            case "service_account" -> "service-account key";
            case "authorized_user" -> "user credentials";
            case "external_account" -> "workload identity federation";
            case "impersonated_service_account" -> "service-account impersonation";
            case "external_account_authorized_user" -> "workforce identity federation user";
            default -> type;
        };
    }

    /** The service account this file acts as, if it names one. */
    Optional<String> serviceAccount() {
        if (json.hasNonNull("client_email")) {
            return Optional.of(json.get("client_email").asText());
        }
        Matcher m = IMPERSONATED.matcher(json.path("service_account_impersonation_url").asText(""));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code project_id} of a service-account key (no network call; other types are not asked). */
    Optional<String> projectId() {
        return type.equals("service_account") && json.hasNonNull("project_id") ? Optional.of(json.get("project_id").asText())
                : Optional.empty();
    }

    /** Where the library will exchange credentials for tokens. */
    String tokenEndpoint() {
        String field = type.equals("external_account") || type.equals("external_account_authorized_user") ? "token_url" : "token_uri";
        return json.path(field).asText(type.equals("external_account") ? "https://sts.googleapis.com/v1/token" : DEFAULT_TOKEN_URI);
    }

    Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("identity type", kind() + " (" + type + ")");
        serviceAccount().ifPresent(e -> d.put("service account", e));
        if (json.hasNonNull("client_id") && !type.equals("authorized_user")) {
            d.put("client id", json.get("client_id").asText());
        }
        if (json.hasNonNull("audience")) {
            d.put("audience", json.get("audience").asText());
        }
        projectId().ifPresent(p -> d.put("credentials project", p));
        d.put("token endpoint", tokenEndpoint());
        return d;
    }

    @Override
    public String toString() {
        return "CredentialsFile[" + type + ", " + path + "]";
    }
}
