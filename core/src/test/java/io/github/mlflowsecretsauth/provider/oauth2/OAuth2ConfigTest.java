package io.github.mlflowsecretsauth.provider.oauth2;

import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad oauth2 settings: one line that names the variable and says what to set; never a secret. No IdP is contacted. */
class OAuth2ConfigTest {
    static final String SECRET = "CANARY-oauth2-config-secret-41fe";
    private final OAuth2ProviderFactory factory = new OAuth2ProviderFactory();

    @TempDir
    Path dir;

    private static Map<String, String> base(Map<String, String> extra) {
        Map<String, String> s = kv("MLFLOW_OAUTH2_TOKEN_URL", "https://idp.example.com/token", "MLFLOW_OAUTH2_CLIENT_ID", "ci",
                "MLFLOW_OAUTH2_CLIENT_SECRET", SECRET);
        extra.forEach((k, v) -> {
            if (v == null) {
                s.remove(k);
            } else {
                s.put(k, v);
            }
        });
        return s;
    }

    private void refused(Map<String, String> extra, String... fragments) {
        FakeClock clock = new FakeClock();
        ProviderContext context = new ProviderContext(Settings.builder().setAll(base(extra)).build(), clock, new ManualScheduler(clock),
                () -> 0.5, Duration.ofMinutes(5), () -> { });
        assertThatThrownBy(() -> factory.create(context)).isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments).doesNotContain(SECRET).doesNotContain("\n"));
    }

    private static java.util.List<String> missing(Map<String, String> s) {
        return new OAuth2ProviderFactory().missingSettings(Settings.builder().setAll(s).build());
    }

    @Test
    void missingSettings_nameTheUrlTheIdAndTheSecretOrKey() {
        assertThat(missing(kv())).containsExactly("MLFLOW_OAUTH2_TOKEN_URL (or MLFLOW_OAUTH2_ISSUER_URL)", "MLFLOW_OAUTH2_CLIENT_ID",
                "MLFLOW_OAUTH2_CLIENT_SECRET (or MLFLOW_OAUTH2_CLIENT_SECRET_FROM)");
        assertThat(missing(kv("MLFLOW_OAUTH2_ISSUER_URL", "https://idp", "MLFLOW_OAUTH2_CLIENT_AUTH", "private_key_jwt")))
                .containsExactly("MLFLOW_OAUTH2_CLIENT_ID", "MLFLOW_OAUTH2_CLIENT_KEY_PATH");
        assertThat(missing(kv("MLFLOW_OAUTH2_ISSUER_URL", "https://idp", "MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "vault"))).isEmpty();
        assertThat(missing(base(kv()))).isEmpty();
    }

    @Test
    void badValues_areNamedByTheirVariable() {
        refused(kv("MLFLOW_OAUTH2_TOKEN_URL", "ftp://idp/token"), "MLFLOW_OAUTH2_TOKEN_URL must be an http or https URL");
        refused(kv("MLFLOW_OAUTH2_TOKEN_URL", null, "MLFLOW_OAUTH2_ISSUER_URL", "idp.example.com"), "MLFLOW_OAUTH2_ISSUER_URL");
        refused(kv("MLFLOW_OAUTH2_CLIENT_AUTH", "client_secret_jwt"), "MLFLOW_OAUTH2_CLIENT_AUTH must be client_secret_basic");
        refused(kv("MLFLOW_OAUTH2_CLIENT_SECRET", "CANARY-a\nb-secret"), "MLFLOW_OAUTH2_CLIENT_SECRET");
        refused(kv("MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "env", "MLFLOW_OAUTH2_CLIENT_SECRET", null),
                "MLFLOW_OAUTH2_CLIENT_SECRET_FROM must be one of vault");
        refused(kv("MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "file"), "both MLFLOW_OAUTH2_CLIENT_SECRET and MLFLOW_OAUTH2_CLIENT_SECRET_FROM");
        refused(kv("MLFLOW_OAUTH2_RESOURCE", "mlflow"), "MLFLOW_OAUTH2_RESOURCE must be an absolute URI");
        refused(kv("MLFLOW_OAUTH2_CA_BUNDLE_PATH", dir.resolve("none.pem").toString()), "MLFLOW_OAUTH2_CA_BUNDLE_PATH: cannot read");
        refused(kv("MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "aws-secrets-manager", "MLFLOW_OAUTH2_CLIENT_SECRET", null),
                "MLFLOW_OAUTH2_CLIENT_SECRET_FROM=aws-secrets-manager needs mlflow-secrets-auth-aws");
        refused(kv("MLFLOW_OAUTH2_CLIENT_SECRET_FROM", "vault", "MLFLOW_OAUTH2_CLIENT_SECRET", null), "VAULT_ADDR", "not set");
    }

    @Test
    void privateKeyJwt_needsAReadablePkcs8Key() throws Exception {
        Map<String, String> jwt = kv("MLFLOW_OAUTH2_CLIENT_AUTH", "private_key_jwt", "MLFLOW_OAUTH2_CLIENT_SECRET", null);
        refused(jwt, "MLFLOW_OAUTH2_CLIENT_KEY_PATH is not set");
        jwt.put("MLFLOW_OAUTH2_CLIENT_KEY_PATH", dir.resolve("missing.pem").toString());
        refused(jwt, "MLFLOW_OAUTH2_CLIENT_KEY_PATH: cannot read");
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
        jwt.put("MLFLOW_OAUTH2_CLIENT_KEY_PATH", pkcs1.toString());
        refused(jwt, "PKCS#1", "openssl pkcs8 -topk8 -nocrypt");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        jwt.put("MLFLOW_OAUTH2_CLIENT_KEY_PATH", cert.toString());
        refused(jwt, "holds no '-----BEGIN PRIVATE KEY-----' block");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        jwt.put("MLFLOW_OAUTH2_CLIENT_KEY_PATH", OAuth2Fixture.writePkcs8(g.generateKeyPair(), dir.resolve("p384.pem")).toString());
        refused(jwt, "is not on P-256");
        jwt.put("MLFLOW_OAUTH2_CLIENT_KEY_PATH", OAuth2Fixture.writePkcs8(OAuth2Fixture.rsa(), dir.resolve("ok.pem")).toString());
        jwt.put("MLFLOW_OAUTH2_CLIENT_SECRET", SECRET);
        refused(jwt, "MLFLOW_OAUTH2_CLIENT_SECRET is set, but MLFLOW_OAUTH2_CLIENT_AUTH=private_key_jwt");
    }

    @Test
    void toStringShowsNoSecret() {
        OAuth2Config c = OAuth2Config.from(Settings.builder().setAll(base(kv())).build());
        assertThat(c.toString()).contains("ci").contains("client_secret_basic").doesNotContain(SECRET);
    }
}
