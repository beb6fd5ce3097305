package io.github.mlflowsecretsauth.provider.file;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.testing.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The file provider: mounted secrets, rotation by rename and by Kubernetes' symlink swap. */
class FileProviderTest {
    private static final URI MLFLOW = URI.create("http://mlflow/");
    private final Engines engines = new Engines();

    private SecretsAuth engine(Path file) {
        return engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "file", "MLFLOW_FILE_SECRET_PATH", file.toString(),
                "MLFLOW_FILE_TTL_SEC", "3600"));
    }

    @Test
    void jsonFile_withTrailingNewline_becomesAHeader(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("auth.json");
        Files.writeString(f, "{\"token\": \"file-token\"}\n");
        try (SecretsAuth auth = engine(f)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer file-token");
        }
    }

    @Test
    void atomicRenameRotation_isNoticedAtTheNextPoll_notAtTheTtl(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, "old-token");
        try (SecretsAuth auth = engine(f)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer old-token");
            Path tmp = dir.resolve(".token.tmp");
            Files.writeString(tmp, "new-token");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            engines.scheduler.advance(Duration.ofSeconds(2));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer new-token");
            assertThat(auth.cacheStats().waits()).isEqualTo(1);
        }
    }

    @Test
    void kubernetesSymlinkSwap_isNoticed(@TempDir Path dir) throws Exception {
        Path v1 = Files.createDirectory(dir.resolve("..2026_01_01_v1"));
        Files.writeString(v1.resolve("token"), "k8s-v1");
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, v1.getFileName());
        Path link = dir.resolve("token");
        Files.createSymbolicLink(link, Path.of("..data/token"));
        try (SecretsAuth auth = engine(link)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer k8s-v1");
            Path v2 = Files.createDirectory(dir.resolve("..2026_01_01_v2"));
            Files.writeString(v2.resolve("token"), "k8s-v2");
            Path newData = dir.resolve("..data_tmp");
            Files.createSymbolicLink(newData, v2.getFileName());
            Files.move(newData, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            engines.scheduler.advance(Duration.ofSeconds(2));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer k8s-v2");
        }
    }

    @Test
    void missingFile_isNotFound_namingTheVariable(@TempDir Path dir) {
        try (SecretsAuth auth = engine(dir.resolve("absent"))) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(SecretNotFoundException.class)
                    .hasMessageContaining("MLFLOW_FILE_SECRET_PATH");
        }
    }

    @Test
    void unreadableFile_isAccessDenied(@TempDir Path dir) throws Exception {
        assumeThat(System.getProperty("user.name")).isNotEqualTo("root");
        Path f = dir.resolve("token");
        Files.writeString(f, "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        try (SecretsAuth auth = engine(f)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(AccessDeniedException.class);
        }
    }

    @Test
    void hugeFile_isRejected_withoutReadingItAll(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge");
        Files.write(f, new byte[10 * 1024 * 1024]);
        try (SecretsAuth auth = engine(f)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(MalformedSecretException.class)
                    .hasMessageContaining("1 MiB");
        }
    }

    @Test
    void directory_isAClearError(@TempDir Path dir) {
        try (SecretsAuth auth = engine(dir)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(MalformedSecretException.class)
                    .hasMessageContaining("directory");
        }
    }

    @Test
    void binaryNonUtf8File_becomesBase64Token(@TempDir Path dir) throws Exception {
        byte[] bin = {(byte) 0xff, (byte) 0xfe, 0x01, 0x02, (byte) 0x80};
        Path f = dir.resolve("bin");
        Files.write(f, bin);
        try (SecretsAuth auth = engine(f)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + Base64.getEncoder().encodeToString(bin));
        }
    }

    @Test
    void utf8BinaryFile_isParsedAsText(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("json");
        Files.write(f, "{\"username\":\"u\",\"password\":\"p\"}".getBytes(StandardCharsets.UTF_8));
        try (SecretsAuth auth = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "file", "MLFLOW_FILE_SECRET_PATH",
                f.toString(), "MLFLOW_FILE_AUTH_MODE", "basic"))) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
