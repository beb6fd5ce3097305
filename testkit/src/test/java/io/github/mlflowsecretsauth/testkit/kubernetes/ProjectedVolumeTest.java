package io.github.mlflowsecretsauth.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projected volume is laid out and rotated as the kubelet's atomic writer does it. */
class ProjectedVolumeTest {

    @Test
    void filesAreSymlinksIntoDataWhichPointsAtATimestampedDirectory(@TempDir Path dir) throws Exception {
        ProjectedVolume v = ProjectedVolume.create(dir, "team-a", "token-1");
        assertThat(Files.isSymbolicLink(v.tokenPath())).isTrue();
        assertThat(Files.readSymbolicLink(v.tokenPath())).isEqualTo(Path.of("..data", "token"));
        assertThat(Files.readSymbolicLink(dir.resolve("..data")).toString()).startsWith("..v");
        assertThat(Files.readString(v.tokenPath())).isEqualTo("token-1");
        assertThat(Files.readString(v.namespacePath())).isEqualTo("team-a");
    }

    @Test
    void rotateSwapsDataAtomically_deletesTheOldDirectory_andAnOpenReaderKeepsTheOldToken(@TempDir Path dir)
            throws Exception {
        ProjectedVolume v = ProjectedVolume.create(dir, "team-a", "token-1");
        Path before = v.tokenPath().toRealPath();
        try (InputStream open = Files.newInputStream(v.tokenPath())) {
            v.rotate("token-2");
            assertThat(new String(open.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("token-1");
        }
        assertThat(Files.readString(v.tokenPath())).isEqualTo("token-2");
        assertThat(Files.readString(v.namespacePath())).isEqualTo("team-a");
        assertThat(v.tokenPath().toRealPath()).isNotEqualTo(before);
        assertThat(Files.exists(before)).isFalse();
        assertThat(v.rotations()).isEqualTo(1);
    }

    @Test
    void serviceAccountTokens_carryTheClaimsAClusterPutsInThem() {
        TokenKey key = TokenKey.generate("sa");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String t = ProjectedVolume.serviceAccountToken(key, "team-a", "trainer", "mlflow", now, now.plus(Duration.ofHours(1)));
        var claims = key.verify(t).orElseThrow();
        assertThat(claims.getIssuer()).isEqualTo(ProjectedVolume.ISSUER);
        assertThat(claims.getSubject()).isEqualTo("system:serviceaccount:team-a:trainer");
        assertThat(claims.getAudience()).containsExactly("mlflow");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(now.plus(Duration.ofHours(1)));
        assertThat(claims.getClaim("kubernetes.io").toString()).contains("team-a").contains("trainer");
    }
}
