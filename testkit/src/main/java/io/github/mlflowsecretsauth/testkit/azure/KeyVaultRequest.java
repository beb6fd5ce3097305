package io.github.mlflowsecretsauth.testkit.azure;

import java.util.Optional;

/**
 * One request the testkit vault received, as tests inspect it.
 *
 * @param method       the HTTP method
 * @param path         the path, without the query
 * @param apiVersion   the {@code api-version} query parameter, if any
 * @param bearer       whether it carried {@code Authorization: Bearer ...}
 * @param clientId     the identity of a valid token, if it carried one
 * @param status       the status answered
 * @param errorCode    Key Vault's (or Entra ID's) error code, if it failed
 */
public record KeyVaultRequest(String method, String path, Optional<String> apiVersion, boolean bearer,
                              Optional<String> clientId, int status, Optional<String> errorCode) {

    /** Whether this was a call to the token endpoint rather than to the vault. */
    public boolean isTokenRequest() {
        return path.endsWith("/oauth2/v2.0/token");
    }
}
