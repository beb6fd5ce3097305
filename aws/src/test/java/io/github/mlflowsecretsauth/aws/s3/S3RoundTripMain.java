package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link S3LargeFileIT}: generates a pseudo-random file, uploads it to {@code MLFLOW_ARTIFACT_ROOT}
 * (multipart, parallel parts), downloads it again and compares SHA-256s. Settings come from the environment.
 * Prints {@code ROUNDTRIP OK <sha256> <bytes> <max heap> <peak heap used> <upload ms> <download ms>} and exits 0.
 */
public final class S3RoundTripMain {
    private S3RoundTripMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Path source = S3Fixtures.randomFile(dir.resolve("source.bin"), size, 2026);
        Path copy = dir.resolve("copy.bin");
        AtomicLong up = new AtomicLong();
        long uploadMs;
        long downloadMs;
        try (S3ArtifactRepository repo = S3ArtifactRepositoryFactory.fromArtifactRoot(Settings.fromEnvironment()).orElseThrow()) {
            long t0 = System.nanoTime();
            repo.upload(source, "large/source.bin", new TransferListener() {
                @Override
                public void transferred(String path, long bytes) {
                    up.addAndGet(bytes);
                }
            });
            long t1 = System.nanoTime();
            repo.download("large/source.bin", copy, TransferListener.NONE);
            long t2 = System.nanoTime();
            uploadMs = (t1 - t0) / 1_000_000;
            downloadMs = (t2 - t1) / 1_000_000;
        }
        String a = sha256(source);
        String b = sha256(copy);
        if (!a.equals(b) || up.get() != size || Files.size(copy) != size) {
            System.out.println("ROUNDTRIP MISMATCH " + a + " " + b + " " + up.get());
            System.exit(1);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("ROUNDTRIP OK " + a + " " + size + " " + Runtime.getRuntime().maxMemory() + " " + peak + " " + uploadMs
                + " " + downloadMs);
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
