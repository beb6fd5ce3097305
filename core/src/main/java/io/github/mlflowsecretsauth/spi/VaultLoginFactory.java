package io.github.mlflowsecretsauth.spi;

import io.github.mlflowsecretsauth.config.Settings;

/**
 * A Vault login method whose login body needs a library the core does not carry: {@code aws} (an AWS SigV4-signed
 * {@code sts:GetCallerIdentity} request, made with the AWS SDK in the mlflow-secrets-auth-aws module). The core's
 * Vault provider still owns the call ({@code POST auth/<mount>/login}, with the fetch deadline), the answer and the
 * token's life; an implementation only builds the body. Found with {@link java.util.ServiceLoader}: register one in
 * {@code META-INF/services/io.github.mlflowsecretsauth.spi.VaultLoginFactory}.
 */
public interface VaultLoginFactory {

    /** The {@code VAULT_AUTH_METHOD} value it serves, e.g. {@code aws}. */
    String method();

    /**
     * Reads and checks the method's own settings; contacts nothing.
     *
     * @param settings every setting
     * @param mount    the auth mount ({@code VAULT_AUTH_MOUNT}, by default the method's name)
     * @param role     the Vault role to log in as ({@code VAULT_AUTH_ROLE})
     * @throws io.github.mlflowsecretsauth.error.ConfigurationException naming the bad variable
     */
    VaultLoginBody create(Settings settings, String mount, String role);
}
