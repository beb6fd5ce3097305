package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedFilesTest {
    @Test
    void aDeviceThatNeverEnds_isRefusedAtTheCap_withoutReadingItAll() {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertThatThrownBy(() -> BoundedFiles.read(Path.of("/dev/zero"), 64 * 1024, "token file /dev/zero"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("token file /dev/zero is larger than 64 KiB, more than such a file ever holds: check the path");
    }

    @Test
    void aMissingFile_isOneLineNamingIt() {
        assertThatThrownBy(() -> BoundedFiles.read(Path.of("/nonexistent/.env"), 1024, "/nonexistent/.env"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("cannot read /nonexistent/.env (NoSuchFileException): check its permissions, or remove it");
    }
}
