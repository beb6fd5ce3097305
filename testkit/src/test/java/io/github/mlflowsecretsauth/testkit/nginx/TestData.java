package io.github.mlflowsecretsauth.testkit.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Deterministic, not-very-compressible test bytes generated on the fly, and their SHA-256. */
final class TestData {

    private TestData() {
    }

    static byte byteAt(long i) {
        long x = i * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56 ^ i >>> 11);
    }

    /** {@code length} bytes, generated as they are read. */
    static InputStream stream(long length) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < length ? byteAt(position++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= length) {
                    return -1;
                }
                int n = (int) Math.min(len, length - position);
                for (int k = 0; k < n; k++) {
                    b[off + k] = byteAt(position++);
                }
                return n;
            }
        };
    }

    static String sha256(long length) throws IOException {
        MessageDigest sha = EchoUpstream.sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = stream(length)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
