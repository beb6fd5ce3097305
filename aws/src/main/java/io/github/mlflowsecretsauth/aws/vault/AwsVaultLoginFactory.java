package io.github.mlflowsecretsauth.aws.vault;

import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.credentials.ProjectRegion;
import io.github.mlflowsecretsauth.aws.sigv4.SigV4RequestSigner;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.spi.VaultLoginBody;
import io.github.mlflowsecretsauth.spi.VaultLoginFactory;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Optional;

/**
 * {@code VAULT_AUTH_METHOD=aws}: Vault's {@code aws} auth method, {@code iam} type, as Vault Agent's {@code aws}
 * auto-auth does it. The login body is a SigV4-signed {@code sts:GetCallerIdentity} made with the project-scoped AWS
 * credentials (seed 000: {@code MLFLOW_AWS_*}, then {@code AWS_*}, then the SDK's default chain), for
 * {@code VAULT_AUTH_ROLE}, with {@code X-Vault-AWS-IAM-Server-ID: VAULT_AWS_HEADER_VALUE} signed when set.
 * The request is signed for {@code VAULT_AWS_STS_REGION} (default {@code us-east-1}, Vault Agent's {@code region}
 * default; not the project region, which names where the secrets are) and addressed to
 * {@code VAULT_AWS_STS_ENDPOINT} (default: the global {@code https://sts.amazonaws.com} for {@code us-east-1}, else
 * {@code https://sts.<region>.amazonaws.com}); both must match the Vault server's {@code sts_endpoint} and
 * {@code sts_region}. Contacts nothing until the first login.
 */
public final class AwsVaultLoginFactory implements VaultLoginFactory {
    public static final String HEADER_VALUE = "VAULT_AWS_HEADER_VALUE";
    public static final String STS_REGION = "VAULT_AWS_STS_REGION";
    public static final String STS_ENDPOINT = "VAULT_AWS_STS_ENDPOINT";
    static final String DEFAULT_REGION = "us-east-1";

    @Override
    public String method() {
        return "aws";
    }

    @Override
    public VaultLoginBody create(Settings settings, String mount, String role) {
        Region region = ProjectRegion.parse(STS_REGION, settings.get(STS_REGION).orElse(DEFAULT_REGION));
        URI endpoint = settings.get(STS_ENDPOINT).map(v -> ConfigValues.httpUrl(STS_ENDPOINT, v.strip()))
                .orElseGet(() -> URI.create(region.id().equals(DEFAULT_REGION) ? "https://sts.amazonaws.com"
                        : "https://sts." + region.id() + ".amazonaws.com"));
        Optional<String> header = settings.get(HEADER_VALUE).map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> CredentialText.requireSetting(v, HEADER_VALUE));
        ProjectAwsCredentials credentials = ProjectAwsCredentials.resolve(settings);
        String regionFrom = settings.isSet(STS_REGION) ? STS_REGION : "the default, as Vault Agent's";
        return new AwsIamLoginBody(role, credentials, SigV4RequestSigner.of(credentials, region, regionFrom, "sts"),
                URI.create(endpoint.toString().replaceAll("/+$", "") + "/"), header, region.id() + " (" + regionFrom + ")");
    }
}
