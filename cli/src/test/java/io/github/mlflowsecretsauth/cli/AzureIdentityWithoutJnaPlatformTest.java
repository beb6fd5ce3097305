package io.github.mlflowsecretsauth.cli;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CLI leaves jna-platform out (cli/pom.xml) and keeps jna: azure-identity's developer credentials still run in
 * order on this class path, so DefaultAzureCredential gets past IntelliJCredential (which calls com.sun.jna.Platform
 * on every OS) to the Azure CLI, instead of stopping with a NoClassDefFoundError.
 */
class AzureIdentityWithoutJnaPlatformTest {

    @Test
    void classPath_hasJnaButNotJnaPlatform() {
        assertThat(loads("com.sun.jna.Platform")).isTrue();
        assertThat(loads("com.sun.jna.platform.win32.Crypt32Util")).isFalse();
    }

    @Test
    void developerCredentialChain_reachesTheAzureCli() {
        // Only the developer credentials (no environment or managed identity), and no Azure CLI login on this machine.
        var configuration = new ConfigurationBuilder(source -> Map.of(), source -> Map.of(),
                source -> Map.of("AZURE_TOKEN_CREDENTIALS", "dev")).build();
        var credential = new DefaultAzureCredentialBuilder().configuration(configuration).build();
        assertThatThrownBy(() -> credential.getTokenSync(new TokenRequestContext().addScopes("https://vault.azure.net/.default")))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("IntelliJ")
                .hasMessageContaining("AzureCliCredential");
    }

    private static boolean loads(String name) {
        try {
            Class.forName(name, false, AzureIdentityWithoutJnaPlatformTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
