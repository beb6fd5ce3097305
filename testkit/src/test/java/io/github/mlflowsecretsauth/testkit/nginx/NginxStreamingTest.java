package io.github.mlflowsecretsauth.testkit.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NginxStreamingTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 100 * MIB;

    private final Http http = new Http();
    private EchoUpstream upstream;
    private Nginx nginx;

    @BeforeAll
    static void nginxIsInstalled() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void start() throws Exception {
        upstream = new EchoUpstream();
        nginx = Nginx.builder().upstream(upstream.uri()).bearerTokens("tok").start();
    }

    @AfterEach
    void stop() {
        nginx.close();
        upstream.close();
    }

    @Test
    void aHundredMebibyteUploadStreamsThroughToTheUpstreamIntact() throws Exception {
        // After 60 MiB the client waits until the upstream has seen body bytes: with a buffering
        // nginx (or a body size limit) the upload would stall or fail here.
        InputStream body = new GatedStream(TestData.stream(SIZE), 60 * MIB, upstream);
        HttpRequest request = HttpRequest.newBuilder(nginx.uri().resolve("/upload"))
                .header("Authorization", "Bearer tok")
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE))
                .build();

        HttpResponse<String> response = http.client().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(nginx.errorLog()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(SIZE + " " + TestData.sha256(SIZE));
    }

    @Test
    void aHundredMebibyteDownloadStreamsBackIntact() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(nginx.uri().resolve("/download?bytes=" + SIZE))
                .header("Authorization", "Bearer tok")
                .timeout(Duration.ofSeconds(120))
                .build();

        HttpResponse<InputStream> response = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        MessageDigest sha = EchoUpstream.sha256();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(SIZE);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(TestData.sha256(SIZE));
        assertThat(nginx.config()).contains("proxy_buffering off;", "proxy_request_buffering off;",
                "client_max_body_size 0;");
    }

    @Test
    void aBodySizeLimitCanBeSetAndNginxAnswers413AboveIt() throws Exception {
        try (Nginx limited = Nginx.builder().upstream(upstream.uri()).clientMaxBodySize("1m").start()) {
            HttpRequest request = HttpRequest.newBuilder(limited.uri().resolve("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * (int) MIB]))
                    .build();

            HttpResponse<String> response = http.client().send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(413);
        }
    }

    /** Passes bytes through, but after {@code gate} bytes waits until the upstream has received some. */
    private static final class GatedStream extends InputStream {
        private final InputStream in;
        private final long gate;
        private final EchoUpstream upstream;
        private long read;

        GatedStream(InputStream in, long gate, EchoUpstream upstream) {
            this.in = in;
            this.gate = gate;
            this.upstream = upstream;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= gate) {
                awaitUpstream();
            }
            int max = read < gate ? (int) Math.min(len, gate - read) : len;
            int n = in.read(b, off, max);
            if (n > 0) {
                read += n;
            }
            return n;
        }

        private void awaitUpstream() throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (upstream.uploadBytes() < MIB) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the upstream saw no body bytes after " + read
                            + " were sent: nginx is buffering the request body");
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }
}
