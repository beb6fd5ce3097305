package io.github.mlflowsecretsauth.azure.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loopback is decided from the host text alone, so a real vault host never loses challenge verification. */
class LoopbackHostsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "localhost, true", "LOCALHOST, true", "kv.localhost, true", "127.0.0.1, true", "127.9.8.7, true", "[::1], true", "::1, true",
            "myvault.vault.azure.net, false", "127.0.0.1.nip.io, false", "localhost.evil.com, false", "10.0.0.1, false",
            "128.0.0.1, false", "'', false",
    })
    void isLoopback(String host, boolean expected) {
        assertThat(LoopbackHosts.isLoopback(host)).isEqualTo(expected);
    }
}
