package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.internal.AtomicFiles;
import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@code s3://bucket/prefix} artifact root, through the AWS SDK v2 with the project-scoped credentials.
 *
 * <ul>
 *   <li>Upload: files smaller than {@link S3Settings#threshold()} are one {@code PutObject}; larger ones a
 *       multipart upload whose parts ({@link S3Settings#partSize()}) are read from their file region by
 *       {@link FileRegionContent} and sent by a pool of {@link S3Settings#concurrency()} threads, so at most
 *       that many parts are in flight. The SDK's HTTP client ({@code HttpURLConnection}) holds one request
 *       body in memory while sending it, so the memory budget is about concurrency × part size. Every
 *       request carries a CRC32 flexible checksum that S3 verifies. A failed or interrupted multipart upload
 *       is aborted, so no parts stay behind.</li>
 *   <li>List: {@code ListObjectsV2} with delimiter {@code /}, all pages; the direct children, directories
 *       as common prefixes, paths relative to the root (as MLflow's {@code list_artifacts}).</li>
 *   <li>Download: streamed to a temporary file beside the target, then moved into place atomically. The
 *       SDK validates the object's full-object checksum ({@code checksumMode=ENABLED}) where S3 has one, and
 *       the ETag is recomputed where it is an MD5 ({@link EtagDigest}); a mismatch, failure or interruption
 *       deletes the temporary file, so nothing appears under the final name.</li>
 * </ul>
 *
 * <p>Errors are one-line {@link IOException}s naming the bucket and key and the credential source
 * ({@link S3Errors}). Thread-safe. Closing stops the part-upload threads and the S3 client.
 */
public final class S3ArtifactRepository implements ArtifactRepository {
    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactRepository.class);
    private static final int BUFFER = 64 * 1024;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final S3Location location;
    private final S3Settings settings;
    private final ProjectAwsCredentials credentials;
    private final S3Client s3;
    private final String endpoint;
    private final ExecutorService parts;
    private volatile int listPageSize = 1000;

    /**
     * @param location    the root
     * @param settings    endpoint, part size, concurrency
     * @param credentials the project-scoped credentials; closed with this repository
     * @param s3          the client (see {@link S3Clients}); closed with this repository
     */
    public S3ArtifactRepository(S3Location location, S3Settings settings, ProjectAwsCredentials credentials, S3Client s3) {
        this.location = location;
        this.settings = settings;
        this.credentials = credentials;
        this.s3 = s3;
        this.endpoint = settings.endpoint().map(Object::toString).orElse("s3." + credentials.region().map(r -> r.region().id()).orElse("us-east-1"));
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.parts = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "s3-parts-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public URI root() {
        return location.uri();
    }

    /** The bucket and prefix. */
    public S3Location location() {
        return location;
    }

    @Override
    public void upload(Path localFile, String artifactPath, TransferListener listener) throws IOException {
        String key = key(artifactPath);
        long size = Files.size(localFile);
        listener.started(artifactPath, size);
        if (size < settings.threshold()) {
            FileRegionContent body = new FileRegionContent(localFile, 0, size, n -> listener.transferred(artifactPath, n), () -> false);
            try {
                s3.putObject(r -> r.bucket(location.bucket()).key(key).contentLength(size).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                        RequestBody.fromContentProvider(body, size, "application/octet-stream"));
            } catch (SdkException e) {
                throw failure(e, "uploading '" + artifactPath + "'", key);
            }
        } else {
            new S3MultipartUpload(s3, location, settings, parts, this::failure, localFile, artifactPath, key, size, listener).run();
        }
        listener.completed(artifactPath);
    }

    @Override
    public List<ArtifactInfo> list(String path) throws IOException {
        String relative = clean(path);
        String dirKey = location.key(relative);
        String prefix = dirKey.isEmpty() ? "" : dirKey + "/";
        String rootPrefix = location.prefix().isEmpty() ? "" : location.prefix() + "/";
        List<ArtifactInfo> out = new ArrayList<>();
        String token = null;
        try {
            do {
                String t = token;
                ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(location.bucket()).prefix(prefix).delimiter("/")
                        .maxKeys(listPageSize).continuationToken(t));
                for (CommonPrefix p : page.commonPrefixes()) {
                    String dir = p.prefix().substring(rootPrefix.length());
                    out.add(ArtifactInfo.directory(dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir));
                }
                for (S3Object o : page.contents()) {
                    if (!o.key().equals(prefix)) { // a "directory marker" object is not a child
                        out.add(ArtifactInfo.file(o.key().substring(rootPrefix.length()), o.size()));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure(e, "listing '" + relative + "'", prefix);
        }
        return out;
    }

    /** Keys per listing page (S3's maximum and default is 1000); smaller in tests of pagination. */
    void listPageSize(int keys) {
        this.listPageSize = keys;
    }

    @Override
    public void download(String artifactPath, Path targetFile, TransferListener listener) throws IOException {
        String key = key(artifactPath);
        AtomicFiles.replace(targetFile, temp -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(location.bucket()).key(key)
                    .checksumMode(ChecksumMode.ENABLED)); OutputStream out = Files.newOutputStream(temp)) {
                GetObjectResponse head = in.response();
                listener.started(artifactPath, head.contentLength() == null ? -1 : head.contentLength());
                Optional<EtagDigest> etag = EtagDigest.forEtag(head.eTag(), head.serverSideEncryptionAsString(),
                        head.sseCustomerAlgorithm() != null, partSize(head));
                copy(in, out, etag, artifactPath, listener);
                if (etag.isPresent() && !etag.get().matches()) {
                    throw new IOException("the S3 object s3://" + location.bucket() + "/" + key + " failed its checksum check ("
                            + etag.get().kind() + " differs) when downloading '" + artifactPath
                            + "': retry; if it persists, the object is corrupt");
                }
            } catch (SdkException e) {
                throw failure(e, "downloading '" + artifactPath + "'", key);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        });
        listener.completed(artifactPath);
    }

    private static void copy(InputStream in, OutputStream out, Optional<EtagDigest> etag, String path, TransferListener listener)
            throws IOException {
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("download of '" + path + "' interrupted");
            }
            out.write(buf, 0, n);
            if (etag.isPresent()) {
                etag.get().update(buf, 0, n);
            }
            listener.transferred(path, n);
        }
    }

    private static Optional<Long> partSize(GetObjectResponse head) {
        String v = head.metadata().get(EtagDigest.PART_SIZE_METADATA);
        try {
            return v == null ? Optional.empty() : Optional.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String key(String artifactPath) {
        String relative = clean(artifactPath);
        if (relative.isEmpty()) {
            throw new IllegalArgumentException("an artifact path is required");
        }
        return location.key(relative);
    }

    private static String clean(String path) {
        String p = path == null ? "" : path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        try {
            S3Location.checkKey("the artifact path", p);
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return p;
    }

    private IOException failure(SdkException e, String action, String key) {
        IOException mapped = S3Errors.map(e, action, location.bucket(), key, endpoint, credentials);
        LOG.debug("{}", mapped.getMessage());
        return mapped;
    }

    @Override
    public void close() {
        parts.shutdownNow();
        try {
            s3.close();
        } finally {
            credentials.close();
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactRepository{" + location + ", " + credentials.sourceLabel() + "}";
    }
}
