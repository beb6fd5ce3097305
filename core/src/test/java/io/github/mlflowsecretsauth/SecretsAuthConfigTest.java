package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsAuthConfigTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final List<String> KNOWN = List.of("vault", "aws-secrets-manager", "azure-key-vault",
            "gcp-secret-manager", "file", "env");

    /** Every configuration carries the canary in the credential variables; no error may repeat it. */
    private static SecretsAuthConfig parse(Map<String, String> values) {
        return SecretsAuthConfig.parse(settings(values), KNOWN);
    }

    private static Settings settings(Map<String, String> values) {
        return Settings.builder().set("VAULT_TOKEN", CANARY).set("MLFLOW_TRACKING_PASSWORD", CANARY).setAll(values).build();
    }

    private static void assertConfigError(Map<String, String> values, String... fragments) {
        assertThatThrownBy(() -> parse(values))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).contains(fragments).doesNotContain(CANARY).doesNotContain("\n");
                });
    }

    // --- enablement -------------------------------------------------------------------------------

    @Test
    void nothingSet_enablesNoProvider_andUsesDefaults() {
        SecretsAuthConfig c = parse(Map.of());
        assertThat(c.enabled()).isEmpty();
        assertThat(c.activated()).isFalse();
        assertThat(c.headerName()).isEqualTo("Authorization");
        assertThat(c.allowlist().isRestricted()).isFalse();
        assertThat(c.trackingUri()).isEmpty();
        assertThat(c.isRemote()).isFalse();
        assertThat(c.maxRetries()).isEqualTo(2);
        assertThat(c.staleIfError()).isEqualTo(Duration.ofSeconds(900));
        assertThat(c.logLevel()).isEmpty();
    }

    @Test
    void enableList_isTrimmedAndCaseInsensitive() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "  Vault , AWS-Secrets-Manager,AZURE-KEY-VAULT  "));
        assertThat(c.enabled()).containsExactlyInAnyOrder("vault", "aws-secrets-manager", "azure-key-vault");
    }

    @Test
    void enableList_ignoresEmptyItemsAndDuplicates() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", ",vault,, ,VAULT,file,"));
        assertThat(c.enabled()).containsExactlyInAnyOrder("vault", "file");
    }

    @Test
    void enableList_acceptsEveryKnownProvider() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", String.join(",", KNOWN)));
        assertThat(c.enabled()).containsExactlyInAnyOrderElementsOf(KNOWN);
    }

    @Test
    void enableList_unknownProvider_isErrorNamingVariableNameAndChoices() {
        assertConfigError(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault, hashicorp"),
                "MLFLOW_SECRETS_AUTH_ENABLE", "unknown provider 'hashicorp'", "vault, aws-secrets-manager, azure-key-vault");
    }

    @Test
    void enableList_unknownLongOrOddName_isNotEchoed() {
        String name = "vault," + CANARY + "." + "p".repeat(30);
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", name)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_SECRETS_AUTH_ENABLE: unknown provider name (not shown)")
                .hasMessageContaining("expected a comma list of vault")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY).doesNotContain("ppp"));
    }

    @Test
    void enableList_secretPastedIntoList_isNotEchoed() {
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", CANARY)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_SECRETS_AUTH_ENABLE: unknown provider name (not shown): expected a comma list of ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase(CANARY).doesNotContain("s3cr3t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vault2", "my_vault", "vault.io", "s3cr3t", "hunter2", "abcdefghijklmnopqrstuvwxy", "p@ss", "ключ"})
    void enableList_unknownNameOutsideLowerCaseLettersAndDashesUpTo24_isNotEchoed(String name) {
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault," + name)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_SECRETS_AUTH_ENABLE: unknown provider name (not shown)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'").doesNotContain(name)
                        .doesNotContain(CANARY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashicorp", "aws-secretsmanager", "HashiCorp-Vault", "abcdefghijklmnopqrstuvwx", "k"})
    void enableList_unknownNameOfLowerCaseLettersAndDashesUpTo24_isEchoedAsTypo(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        assertConfigError(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault," + name),
                "MLFLOW_SECRETS_AUTH_ENABLE: unknown provider '" + lower + "': expected a comma list of vault");
    }

    @Test
    void enabledSet_isImmutable() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault"));
        assertThatThrownBy(() -> c.enabled().add("env")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toggleTrue_enablesProviderWithoutList() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_VAULT", "true"));
        assertThat(c.enabled()).containsExactly("vault");
    }

    @Test
    void toggleTrue_addsToList() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault",
                "MLFLOW_SECRETS_AUTH_ENABLE_AWS_SECRETS_MANAGER", "1"));
        assertThat(c.enabled()).containsExactlyInAnyOrder("vault", "aws-secrets-manager");
    }

    @Test
    void toggleFalse_removesProviderNamedInList() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault,azure-key-vault,env",
                "MLFLOW_SECRETS_AUTH_ENABLE_AZURE_KEY_VAULT", "false"));
        assertThat(c.enabled()).containsExactlyInAnyOrder("vault", "env");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "on", "TRUE", "1"})
    void toggle_acceptsBooleanSpellings(String v) {
        assertThat(parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_GCP_SECRET_MANAGER", v)).enabled())
                .containsExactly("gcp-secret-manager");
    }

    @Test
    void toggleBlank_isIgnored() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "file", "MLFLOW_SECRETS_AUTH_ENABLE_FILE", " "));
        assertThat(c.enabled()).containsExactly("file");
    }

    @Test
    void toggleInvalid_isErrorNamingToggle() {
        assertConfigError(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_VAULT", "enabled"),
                "MLFLOW_SECRETS_AUTH_ENABLE_VAULT must be true or false");
    }

    @Test
    void toggleInvalid_secretPastedIntoToggle_isNotEchoed() {
        assertConfigError(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_ENV", CANARY), "MLFLOW_SECRETS_AUTH_ENABLE_ENV must be true or false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MLFLOW_SECRETS_AUTH_ENABLE_HASHICORP", "MLFLOW_SECRETS_AUTH_ENABLE_AWS",
            "MLFLOW_SECRETS_AUTH_ENABLE_AWS_SECRETSMANAGER", "MLFLOW_SECRETS_AUTH_ENABLE_vault",
            "MLFLOW_SECRETS_AUTH_ENABLE_AWS-SECRETS-MANAGER", "MLFLOW_SECRETS_AUTH_ENABLE_VAULT_"})
    void unknownToggle_isErrorNamingThatVariableAndTheKnownToggles(String toggle) {
        assertConfigError(Map.of(toggle, "true"), toggle + " names no known provider: use one of ",
                "MLFLOW_SECRETS_AUTH_ENABLE_VAULT", "MLFLOW_SECRETS_AUTH_ENABLE_AWS_SECRETS_MANAGER",
                "MLFLOW_SECRETS_AUTH_ENABLE_GCP_SECRET_MANAGER", "MLFLOW_SECRETS_AUTH_ENABLE_ENV");
    }

    @Test
    void unknownToggle_isErrorEvenWhenFalse_andDoesNotEchoItsValue() {
        assertConfigError(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_HASHICORP", "false"),
                "MLFLOW_SECRETS_AUTH_ENABLE_HASHICORP names no known provider");
        assertConfigError(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "MLFLOW_SECRETS_AUTH_ENABLE_KEYCHAIN", CANARY),
                "MLFLOW_SECRETS_AUTH_ENABLE_KEYCHAIN names no known provider");
    }

    @Test
    void unknownToggle_fromDotEnv_isErrorToo() {
        Settings s = Settings.builder().set("VAULT_TOKEN", CANARY)
                .dotEnv(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_HASHICORP_VAULT", "1")).build();
        assertThatThrownBy(() -> SecretsAuthConfig.parse(s, KNOWN))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_SECRETS_AUTH_ENABLE_HASHICORP_VAULT names no known provider")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void unknownToggle_setBlank_isIgnored() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE_HASHICORP", "  ", "MLFLOW_SECRETS_AUTH_ENABLE", "vault"));
        assertThat(c.enabled()).containsExactly("vault");
    }

    @Test
    void everyKnownToggle_isAccepted() {
        Map<String, String> all = new java.util.HashMap<>();
        for (String name : KNOWN) {
            all.put(ConfigKeys.toggle(name), "true");
        }
        assertThat(parse(all).enabled()).containsExactlyInAnyOrderElementsOf(KNOWN);
    }

    @Test
    void enablement_comesFromDotEnvToo() {
        Settings s = Settings.builder().dotEnv(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env")).build();
        assertThat(SecretsAuthConfig.parse(s, KNOWN).enabled()).containsExactly("env");
    }

    // --- activation -------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"mlflow_secrets_auth,true", "MLFLOW_SECRETS_AUTH,true", "basic,false", "mlflow-secrets-auth,false"})
    void trackingAuth_activatesOnlyForItsValue(String value, boolean activated) {
        assertThat(parse(Map.of("MLFLOW_TRACKING_AUTH", value)).activated()).isEqualTo(activated);
    }

    // --- header name ------------------------------------------------------------------------------

    @Test
    void headerName_customIsKept() {
        assertThat(parse(Map.of("MLFLOW_AUTH_HEADER_NAME", "X-MLflow-Auth")).headerName()).isEqualTo("X-MLflow-Auth");
    }

    @Test
    void headerName_isTrimmed() {
        assertThat(parse(Map.of("MLFLOW_AUTH_HEADER_NAME", " X-Api-Key ")).headerName()).isEqualTo("X-Api-Key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X MLflow Auth", "X-Auth:", "Authorization\r\nX-Injected", "X-Äuth", "(auth)", "a/b"})
    void headerName_notAnHttpToken_isErrorNamingVariable(String name) {
        assertConfigError(Map.of("MLFLOW_AUTH_HEADER_NAME", name),
                "MLFLOW_AUTH_HEADER_NAME must be a valid HTTP header name");
    }

    @Test
    void headerName_errorDoesNotEchoAValueMistakenlyPutThere() {
        assertConfigError(Map.of("MLFLOW_AUTH_HEADER_NAME", "Authorization: Bearer " + CANARY), "MLFLOW_AUTH_HEADER_NAME");
    }

    // --- allowlist --------------------------------------------------------------------------------

    @Test
    void allowedHosts_areParsed() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com, *.staging.company.com"));
        assertThat(c.allowlist().isRestricted()).isTrue();
        assertThat(c.allowlist().allows(URI.create("https://a.staging.company.com/"))).isTrue();
        assertThat(c.allowlist().allows(URI.create("https://evil.com/"))).isFalse();
    }

    @Test
    void allowedHosts_invalid_isErrorNamingVariable() {
        assertConfigError(Map.of("MLFLOW_SECRETS_ALLOWED_HOSTS", "https://mlflow.company.com/"), "MLFLOW_SECRETS_ALLOWED_HOSTS");
    }

    // --- retries and grace ------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"0,0", "3,3", "10,10"})
    void maxRetries_acceptsZeroToTen(String v, int expected) {
        assertThat(parse(Map.of("MLFLOW_SECRETS_MAX_RETRIES", v)).maxRetries()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"11", "-1"})
    void maxRetries_outOfRange_isError(String v) {
        assertConfigError(Map.of("MLFLOW_SECRETS_MAX_RETRIES", v), "MLFLOW_SECRETS_MAX_RETRIES must be between 0 and 10");
    }

    @Test
    void maxRetries_nonInteger_isError() {
        assertConfigError(Map.of("MLFLOW_SECRETS_MAX_RETRIES", "two"),
                "MLFLOW_SECRETS_MAX_RETRIES must be a whole number (the value set is not a number)");
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_SECRETS_MAX_RETRIES", "two")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("two"));
    }

    @Test
    void numericSettings_secretPastedIn_isNotEchoed() {
        assertConfigError(Map.of("MLFLOW_SECRETS_MAX_RETRIES", CANARY), "MLFLOW_SECRETS_MAX_RETRIES must be a whole number",
                "the value set is not a number");
        assertConfigError(Map.of("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", CANARY),
                "MLFLOW_SECRETS_STALE_IF_ERROR_SEC must be a whole number of seconds (the value set is not a number)");
    }

    @Test
    void staleIfError_isReadInSeconds() {
        assertThat(parse(Map.of("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "60")).staleIfError()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse(Map.of("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "0")).staleIfError()).isZero();
    }

    @Test
    void fetchTimeout_defaultsToTenSeconds_andIsBounded() {
        assertThat(parse(Map.of()).fetchTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(parse(Map.of("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "3")).fetchTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertConfigError(Map.of("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "0"), "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC must be a positive");
        assertConfigError(Map.of("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "601"), "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC must be at most 600");
        assertConfigError(Map.of("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", CANARY),
                "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC must be a whole number of seconds (the value set is not a number)");
    }

    @Test
    void staleIfError_beyondAWeek_isError() {
        assertConfigError(Map.of("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "604801"), "MLFLOW_SECRETS_STALE_IF_ERROR_SEC",
                "between 0 and 604800");
    }

    // --- log level --------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"debug,DEBUG", "Info,INFO", "WARNING,WARN", "warn,WARN", "error,ERROR", "critical,ERROR", "trace,TRACE",
            "off,OFF"})
    void logLevel_isNormalised(String v, String expected) {
        assertThat(parse(Map.of("MLFLOW_SECRETS_LOG_LEVEL", v)).logLevel()).contains(expected);
    }

    @Test
    void logLevel_unknown_isErrorListingLevelsWithoutEchoingTheValue() {
        assertConfigError(Map.of("MLFLOW_SECRETS_LOG_LEVEL", "verbose"), "MLFLOW_SECRETS_LOG_LEVEL must be one of",
                "DEBUG", "INFO", "WARNING", "ERROR");
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_SECRETS_LOG_LEVEL", "verbose")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainIgnoringCase("verbose"));
    }

    @Test
    void logLevel_secretPastedIntoTheVariable_isNotEchoed() {
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_SECRETS_LOG_LEVEL", "Bearer " + CANARY)))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("MLFLOW_SECRETS_LOG_LEVEL").doesNotContainIgnoringCase(CANARY));
    }

    // --- tracking URI -----------------------------------------------------------------------------

    @Test
    void trackingUri_http_isRemote() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_TRACKING_URI", "http://nginx:80"));
        assertThat(c.trackingUri()).contains(URI.create("http://nginx:80"));
        assertThat(c.isRemote()).isTrue();
    }

    @Test
    void trackingUri_upperCaseHttpsScheme_isRemote() {
        assertThat(parse(Map.of("MLFLOW_TRACKING_URI", "HTTPS://MLflow.Company.com/")).isRemote()).isTrue();
    }

    @Test
    void trackingUri_hostWithUnderscore_isAccepted() {
        assertThat(parse(Map.of("MLFLOW_TRACKING_URI", "http://mlflow_server:5000")).trackingUri())
                .contains(URI.create("http://mlflow_server:5000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///tmp/mlruns", "databricks", "sqlite:///mlflow.db", "./mlruns"})
    void trackingUri_nonHttp_isKeptButNotRemote(String v) {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_TRACKING_URI", v));
        assertThat(c.trackingUri()).contains(URI.create(v));
        assertThat(c.isRemote()).isFalse();
    }

    @Test
    void trackingUri_httpWithUserInfo_isErrorWithoutPassword() {
        assertConfigError(Map.of("MLFLOW_TRACKING_URI", "https://token:" + CANARY + "@mlflow.company.com"),
                "MLFLOW_TRACKING_URI must not carry user info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://", "http:/path-only"})
    void trackingUri_httpWithoutHost_isError(String v) {
        assertConfigError(Map.of("MLFLOW_TRACKING_URI", v), "MLFLOW_TRACKING_URI");
    }

    @Test
    void trackingUri_unparsable_isErrorWithoutEchoingValue() {
        assertConfigError(Map.of("MLFLOW_TRACKING_URI", "https://u:" + CANARY + " x@host/"), "MLFLOW_TRACKING_URI is not a valid");
        assertConfigError(Map.of("MLFLOW_TRACKING_URI", "weird uri " + CANARY), "MLFLOW_TRACKING_URI is not a valid URI");
    }

    // --- no secret in toString --------------------------------------------------------------------

    @Test
    void toString_ofTypicalConfig_holdsNoSecret() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "MLFLOW_TRACKING_URI", "https://mlflow.company.com"));
        assertThat(c.toString()).doesNotContain(CANARY).contains("vault");
    }

    @Test
    void toString_databaseTrackingUriWithPassword_doesNotShowPassword() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_TRACKING_URI", "postgresql://mlflow:" + CANARY + "@db:5432/mlflow"));
        assertThat(c.toString()).doesNotContain(CANARY).contains("trackingUri=postgresql://****@db:5432/mlflow");
        // the parsed URI itself is kept whole: MLflow needs the password to reach its database
        assertThat(c.trackingUri()).contains(URI.create("postgresql://mlflow:" + CANARY + "@db:5432/mlflow"));
    }

    @ParameterizedTest
    @CsvSource({
            "postgresql://mlflow:" + CANARY + "@db:5432/mlflow, postgresql://****@db:5432/mlflow",
            "mysql+pymysql://root:" + CANARY + "@mysql/mlflow?charset=utf8, mysql+pymysql://****@mysql/mlflow?charset=utf8",
            "postgresql://mlflow@db/mlflow, postgresql://****@db/mlflow",
            "postgresql://mlflow:p%40ss" + CANARY + "@db/mlflow, postgresql://****@db/mlflow",
            "databricks://profile:" + CANARY + "@workspace, databricks://****@workspace"})
    void trackingUriForDisplay_masksUserInfo(String uri, String shown) {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_TRACKING_URI", uri));
        assertThat(c.trackingUriForDisplay()).contains(shown);
        assertThat(c.toString()).contains("trackingUri=" + shown).doesNotContain(CANARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://nginx:80", "https://mlflow.company.com/prefix", "file:///tmp/mlruns", "databricks",
            "sqlite:///mlflow.db", "http://mlflow_server:5000"})
    void trackingUriForDisplay_withoutUserInfo_isTheUriAsSet(String uri) {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_TRACKING_URI", uri));
        assertThat(c.trackingUriForDisplay()).contains(uri);
        assertThat(c.toString()).contains("trackingUri=" + uri);
    }

    @Test
    void trackingUriForDisplay_unset_isEmpty_andToStringSaysNone() {
        SecretsAuthConfig c = parse(Map.of());
        assertThat(c.trackingUriForDisplay()).isEmpty();
        assertThat(c.toString()).contains("trackingUri=<none>").doesNotContain(CANARY);
    }

    @Test
    void toString_showsTheSettingsButNoSecret() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth",
                "MLFLOW_AUTH_HEADER_NAME", "X-MLflow-Auth", "MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com",
                "MLFLOW_TRACKING_URI", "postgresql://u:" + CANARY + "@db/mlflow", "MLFLOW_SECRETS_MAX_RETRIES", "3",
                "MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "60", "MLFLOW_SECRETS_LOG_LEVEL", "warning"));
        assertThat(c.toString())
                .startsWith("SecretsAuthConfig{")
                .contains("enabled=[vault]", "activated=true", "headerName=X-MLflow-Auth",
                        "allowlist=HostAllowlist[mlflow.company.com]", "trackingUri=postgresql://****@db/mlflow", "maxRetries=3",
                        "staleIfError=PT1M", "logLevel=WARN")
                .doesNotContain(CANARY);
        assertThat(parse(Map.of()).toString()).contains("logLevel=<default>", "allowlist=HostAllowlist{all hosts}");
    }

    @Test
    void toString_databaseTrackingUriWithPasswordAndUnderscoreHost_doesNotShowPassword() {
        SecretsAuthConfig c = parse(Map.of("MLFLOW_TRACKING_URI", "postgresql://mlflow:" + CANARY + "@db_server:5432/mlflow"));
        assertThat(c.toString()).doesNotContain(CANARY);
        assertThat(c.trackingUriForDisplay().orElseThrow()).doesNotContain(CANARY);
    }

    @Test
    void trackingUri_httpWithUserInfoAndUnderscoreHost_isErrorWithoutPassword() {
        assertConfigError(Map.of("MLFLOW_TRACKING_URI", "http://token:" + CANARY + "@mlflow_server:5000"),
                "MLFLOW_TRACKING_URI must not carry user info");
    }
}
