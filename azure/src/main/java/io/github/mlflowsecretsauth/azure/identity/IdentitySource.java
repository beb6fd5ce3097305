package io.github.mlflowsecretsauth.azure.identity;

import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.CLIENT_CERTIFICATE_PATH;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.CLIENT_ID;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.CLIENT_SECRET;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.FEDERATED_TOKEN_FILE;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.IDENTITY_ENDPOINT;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.MSI_ENDPOINT;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.PASSWORD;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.TENANT_ID;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.TOKEN_CREDENTIALS;
import static io.github.mlflowsecretsauth.azure.AzureConfigKeys.USERNAME;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which identity {@code DefaultAzureCredential} will use, read from the settings in the order its chain
 * tries them: the environment's service principal (client secret, then certificate, then user name and
 * password), workload identity (a federated token file), a managed identity endpoint, and otherwise
 * managed identity through IMDS or a developer sign-in (Azure CLI, Azure PowerShell, Azure Developer
 * CLI), which only the attempt itself can tell apart. Shown by {@code info} and {@code doctor} and named
 * in error messages; holds variable names only, never a value. Immutable.
 *
 * @param label     what {@code info} prints, e.g. {@code service principal with a client secret (environment)}
 * @param variables the variables that select it, e.g. {@code AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET}
 */
public record IdentitySource(String label, List<String> variables) {

    /**
     * Reads the source from {@code s}. Half a service principal (a client secret or certificate without
     * {@code AZURE_CLIENT_ID} or {@code AZURE_TENANT_ID}) is a configuration error naming what is missing,
     * where DefaultAzureCredential would silently move on to the next credential.
     */
    public static IdentitySource resolve(Settings s) {
        String restricted = s.get(TOKEN_CREDENTIALS).map(v -> ", restricted by " + TOKEN_CREDENTIALS + "=" + safe(v)).orElse("");
        for (String[] kind : new String[][] {{CLIENT_SECRET, "service principal with a client secret"},
            {CLIENT_CERTIFICATE_PATH, "service principal with a certificate"},
            {FEDERATED_TOKEN_FILE, "workload identity (federated token file)"}}) {
            if (s.isSet(kind[0])) {
                requireAppAndTenant(s, kind[0]);
                return new IdentitySource(kind[1] + " (" + (kind[0].equals(FEDERATED_TOKEN_FILE) ? "WorkloadIdentityCredential"
                        : "EnvironmentCredential") + restricted + ")", List.of(TENANT_ID, CLIENT_ID, kind[0]));
            }
        }
        if (s.isSet(USERNAME) && s.isSet(PASSWORD) && s.isSet(CLIENT_ID)) {
            return new IdentitySource("user name and password (EnvironmentCredential, deprecated" + restricted + ")",
                    List.of(CLIENT_ID, USERNAME, PASSWORD));
        }
        String userAssigned = s.isSet(CLIENT_ID) ? ", user-assigned " + CLIENT_ID : ", system-assigned";
        if (s.isSet(IDENTITY_ENDPOINT)) {
            return new IdentitySource("managed identity (" + IDENTITY_ENDPOINT + userAssigned + restricted + ")", List.of(IDENTITY_ENDPOINT));
        }
        if (s.isSet(MSI_ENDPOINT)) {
            return new IdentitySource("managed identity (" + MSI_ENDPOINT + userAssigned + restricted + ")", List.of(MSI_ENDPOINT));
        }
        return new IdentitySource("managed identity (IMDS) or developer sign-in (Azure CLI, Azure PowerShell, Azure Developer CLI), "
                + "tried in that order" + restricted, List.of());
    }

    private static void requireAppAndTenant(Settings s, String selector) {
        List<String> missing = new ArrayList<>();
        if (!s.isSet(TENANT_ID)) {
            missing.add(TENANT_ID);
        }
        if (!s.isSet(CLIENT_ID)) {
            missing.add(CLIENT_ID);
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(selector + " is set but " + String.join(" and ", missing) + (missing.size() > 1 ? " are" : " is")
                    + " not: set the app's directory (tenant) id and application (client) id too, or unset " + selector);
        }
    }

    /** AZURE_TOKEN_CREDENTIALS holds a keyword or a credential's class name; anything else is not echoed. */
    private static String safe(String v) {
        return v.matches("[A-Za-z]{1,40}") ? v : "(unrecognised value)";
    }

    @Override
    public String toString() {
        return label;
    }
}
