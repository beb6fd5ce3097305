package io.github.mlflowsecretsauth.testkit.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An S3 server for tests: Adobe S3Mock (embedded, path-style, objects in a temporary directory) behind
 * an {@link S3Gateway} that checks every request's SigV4 signature and records its access key, which
 * S3Mock itself does not do. Clients use {@link #endpoint()} with path-style access.
 *
 * <p>S3Mock is a Spring Boot application. Its class path is not the testkit's: add
 * {@code com.adobe.testing:s3mock} in test scope to the module that starts an {@code S3Server} (the parent
 * POM pins it and excludes its logging starter). Spring Boot's logging system is switched off
 * ({@code org.springframework.boot.logging.LoggingSystem=none}), so it never reconfigures the test's
 * Logback; its log lines go through SLF4J like any other library's.
 *
 * <p>Thread-safe. Closing stops both servers and deletes the stored objects.
 */
public final class S3Server implements AutoCloseable {
    private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

    private final S3MockApplication mock;
    private final S3Gateway gateway;
    private final Path root;
    private final String region;

    private S3Server(S3MockApplication mock, S3Gateway gateway, Path root, String region) {
        this.mock = mock;
        this.gateway = gateway;
        this.root = root;
        this.region = region;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The gateway's URL: where clients send requests, path-style. */
    public URI endpoint() {
        return gateway.endpoint();
    }

    /** S3Mock's own URL, for requests that must bypass the signature check. */
    public URI mockEndpoint() {
        return URI.create("http://127.0.0.1:" + mock.getHttpPort());
    }

    /** S3Mock's own HTTPS URL (a self-signed certificate), bypassing the gateway. */
    public URI mockHttpsEndpoint() {
        return URI.create("https://127.0.0.1:" + mock.getPort());
    }

    /** The region the gateway expects in credential scopes. */
    public String region() {
        return region;
    }

    /** The gateway: recorded calls, signing keys, injected faults, in-flight counts. */
    public S3Gateway gateway() {
        return gateway;
    }

    /** The directory where S3Mock keeps the objects. */
    public Path storageRoot() {
        return root;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            mock.stop();
            deleteQuietly(root);
        }
    }

    @Override
    public String toString() {
        return "S3Server[" + endpoint() + " -> S3Mock " + mockEndpoint() + "]";
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory; nothing more to do
        }
    }

    /** Configures and starts an {@link S3Server}. Not thread-safe. */
    public static final class Builder {
        private final List<AwsPrincipal> principals = new ArrayList<>();
        private final List<String> buckets = new ArrayList<>();
        private String region = "us-east-1";

        private Builder() {
        }

        /** A key the gateway accepts. */
        public Builder principal(AwsPrincipal principal) {
            principals.add(principal);
            return this;
        }

        /** A bucket that exists from the start. */
        public Builder bucket(String name) {
            buckets.add(name);
            return this;
        }

        /** The region of the credential scope (default {@code us-east-1}). */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Starts S3Mock on free ports, then the gateway in front of it. */
        public S3Server start() {
            if (System.getProperty(LOGGING_SYSTEM) == null) {
                System.setProperty(LOGGING_SYSTEM, "none");
            }
            Path root;
            try {
                root = Files.createTempDirectory("s3mock-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Object> props = new HashMap<>();
            props.put(S3MockApplication.PROP_HTTP_PORT, "0");
            props.put(S3MockApplication.PROP_HTTPS_PORT, "0");
            props.put("server.address", "127.0.0.1");
            props.put("com.adobe.testing.s3mock.store.root", root.toString());
            props.put("com.adobe.testing.s3mock.store.retainFilesOnExit", "false");
            props.put("com.adobe.testing.s3mock.store.region", region);
            props.put("com.adobe.testing.s3mock.store.initialBuckets", String.join(",", buckets));
            props.put("spring.main.banner-mode", "off");
            props.put(S3MockApplication.PROP_SILENT, "true");
            S3MockApplication mock;
            try {
                mock = S3MockApplication.start(props);
            } catch (RuntimeException e) {
                deleteQuietly(root);
                throw e;
            }
            try {
                S3Gateway gateway = S3Gateway.start(URI.create("http://127.0.0.1:" + mock.getHttpPort()), principals, region);
                return new S3Server(mock, gateway, root, region);
            } catch (RuntimeException e) {
                mock.stop();
                deleteQuietly(root);
                throw e;
            }
        }
    }
}
