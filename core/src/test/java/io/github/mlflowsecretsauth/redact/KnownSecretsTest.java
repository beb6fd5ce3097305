package io.github.mlflowsecretsauth.redact;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnownSecretsTest {
    @Test
    void scrub_masksEveryKnownValue_longestFirst_andLeavesOtherTextAlone() {
        KnownSecrets known = new KnownSecrets();
        known.add("hvs.CANARYtoken");
        known.add("hvs.CANARYtoken-and-more");
        String text = "permission denied for hvs.CANARYtoken-and-more and hvs.CANARYtoken at /v1/secret";
        String scrubbed = known.scrub(text);
        assertThat(scrubbed).doesNotContain("CANARY").contains("permission denied for ").contains(" at /v1/secret");
        assertThat(known.appearsIn(text)).isTrue();
        assertThat(known.appearsIn(scrubbed)).isFalse();
    }

    @Test
    void shortAndBlankValues_areIgnored_andOnlyTheNewestAreKept() {
        KnownSecrets known = new KnownSecrets();
        known.add(null);
        known.add("   ");
        known.add("abc");
        assertThat(known.size()).isZero();
        for (int i = 0; i < KnownSecrets.MAX_VALUES + 10; i++) {
            known.add("secret-value-" + i);
        }
        assertThat(known.size()).isEqualTo(KnownSecrets.MAX_VALUES);
        assertThat(known.appearsIn("secret-value-" + (KnownSecrets.MAX_VALUES + 9))).isTrue();
        assertThat(known.toString()).doesNotContain("secret-value");
    }
}
