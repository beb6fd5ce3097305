package io.github.mlflowsecretsauth.aws;

import io.github.mlflowsecretsauth.aws.s3.S3ArtifactRepositoryFactory;
import io.github.mlflowsecretsauth.aws.s3.S3Settings;
import io.github.mlflowsecretsauth.aws.secretsmanager.SecretsManagerProviderFactory;
import io.github.mlflowsecretsauth.aws.sigv4.SigV4RequestSignerFactory;
import io.github.mlflowsecretsauth.aws.vault.AwsVaultLoginFactory;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

import static io.github.mlflowsecretsauth.config.SettingsSection.AWS_SECRETS_MANAGER;
import static io.github.mlflowsecretsauth.config.SettingsSection.AWS_SIGV4;
import static io.github.mlflowsecretsauth.config.SettingsSection.S3_ARTIFACTS;

/** The aws module's settings: Secrets Manager, the project-scoped credentials, SigV4 and the S3 artifact store. */
public final class AwsSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.SECRET_ID, "", "the secret's name or ARN"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.SECRET_VERSION, "`AWSCURRENT`", "a staging label (`AWSCURRENT`, "
                        + "`AWSPENDING`, a custom one) or a version id"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.PROJECT_REGION, "", "the project region; wins over `"
                        + AwsConfigKeys.REGION + "` and `" + AwsConfigKeys.DEFAULT_REGION + "` and never changes them"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.REGION, "", "the global region, used when no project region is set"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.DEFAULT_REGION, "", "the global region's older name, after `"
                        + AwsConfigKeys.REGION + "`"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.PROJECT_ACCESS_KEY_ID, "", "project-scoped access key id that only MLflow "
                        + "uses; wins over the global `" + AwsConfigKeys.ACCESS_KEY_ID + "` and never changes it"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.PROJECT_SECRET_ACCESS_KEY, "", "its secret access key").asSecret(),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.PROJECT_SESSION_TOKEN, "", "its session token, for temporary "
                        + "credentials").asSecret(),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.ACCESS_KEY_ID, "", "the global access key id, used when no project-scoped "
                        + "one is set"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.SECRET_ACCESS_KEY, "", "the global secret access key").asSecret(),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.SESSION_TOKEN, "", "the global session token").asSecret(),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.PROFILE, "`default`", "the profile of the SDK's default chain (profiles, "
                        + "roles), tried after the keys"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.CONFIG_FILE, "`~/.aws/config`", "the shared config file of that chain"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.SHARED_CREDENTIALS_FILE, "`~/.aws/credentials`", "the shared credentials "
                        + "file of that chain"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.ENDPOINT_URL_SECRETS_MANAGER, "AWS", "the Secrets Manager endpoint (a VPC "
                        + "endpoint, LocalStack, the testkit)"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.ENDPOINT_URL_STS, "AWS", "the STS endpoint, for `doctor`'s "
                        + "`GetCallerIdentity`"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.ENDPOINT_URL, "AWS", "the endpoint of every AWS service, after the "
                        + "service's own variable"),
                s(AWS_SECRETS_MANAGER, AwsConfigKeys.IGNORE_CONFIGURED_ENDPOINT_URLS, "`false`", "`true` ignores the endpoint "
                        + "variables, as the AWS SDKs do")));
        out.addAll(ProviderSettings.modeAndTtl("aws", AWS_SECRETS_MANAGER, new SecretsManagerProviderFactory()));
        out.addAll(List.of(
                s(AWS_SIGV4, ConfigKeys.TRACKING_AWS_SIGV4, "`false`", "`true` signs every MLflow request (library, proxy, exec) "
                        + "with SigV4, replacing the secret-derived header"),
                s(AWS_SIGV4, SigV4RequestSignerFactory.SERVICE, "`" + SigV4RequestSignerFactory.DEFAULT_SERVICE + "`",
                        "the service name in the signature"),
                s(S3_ARTIFACTS, S3ArtifactRepositoryFactory.ARTIFACT_ROOT, "", "`s3://bucket/prefix`; the bucket name and prefix "
                        + "are validated (one-line error naming the variable)"),
                s(S3_ARTIFACTS, S3Settings.ENDPOINT_URL, "AWS", "endpoint of an S3-compatible store (MinIO, Ceph, LocalStack, "
                        + "the testkit); path-style addressing when set. `" + S3Settings.ENDPOINT_URL_S3 + "` / `"
                        + AwsConfigKeys.ENDPOINT_URL + "` are honoured after it"),
                s(S3_ARTIFACTS, S3Settings.ENDPOINT_URL_S3, "AWS", "the S3 endpoint, as the AWS SDKs read it, after `"
                        + S3Settings.ENDPOINT_URL + "`"),
                s(S3_ARTIFACTS, S3Settings.IGNORE_TLS, "`false`", "`true` trusts any certificate of the endpoint (as MLflow's "
                        + "flag; development only)"),
                s(S3_ARTIFACTS, S3Settings.MINIMUM_FILE_SIZE, mib(S3Settings.DEFAULT_THRESHOLD), "files this large or larger go as a multipart upload "
                        + "(5 MiB to 512 MiB)"),
                s(S3_ARTIFACTS, S3Settings.CHUNK_SIZE, mib(S3Settings.DEFAULT_PART_SIZE), "bytes per part (5 MiB to 5 GiB; raised automatically to stay "
                        + "within 10,000 parts)"),
                s(S3_ARTIFACTS, S3Settings.CONCURRENCY, "`" + S3Settings.DEFAULT_CONCURRENCY + "`", "parts in flight at once (1 to 64)"),
                s(S3_ARTIFACTS, S3Settings.TIMEOUT, "`" + S3Settings.DEFAULT_TIMEOUT_SEC + "`", "seconds one socket read may wait"),
                s(S3_ARTIFACTS, S3Settings.MAX_ATTEMPTS, "`" + S3Settings.DEFAULT_MAX_ATTEMPTS + "`", "attempts per S3 request (the SDK's standard retries with "
                        + "backoff, throttling included)")));
        out.addAll(List.of(
                s(SettingsSection.VAULT, AwsVaultLoginFactory.HEADER_VALUE, "", "Vault's `aws` login: the "
                        + "`X-Vault-AWS-IAM-Server-ID` header, signed (the mount's `iam_server_id_header_value`)"),
                s(SettingsSection.VAULT, AwsVaultLoginFactory.STS_REGION, "`us-east-1`", "Vault's `aws` login: the region "
                        + "the `sts:GetCallerIdentity` request is signed for"),
                s(SettingsSection.VAULT, AwsVaultLoginFactory.STS_ENDPOINT, "`https://sts.amazonaws.com`", "Vault's `aws` "
                        + "login: where that request is addressed (else `https://sts.<region>.amazonaws.com` for another region)")));
        return out;
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }

    private static Setting s(SettingsSection section, String name, String defaultValue, String meaning) {
        return Setting.of("aws", section, name, defaultValue, meaning);
    }
}
