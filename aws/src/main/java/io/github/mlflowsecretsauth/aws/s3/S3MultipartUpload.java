package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.artifact.TransferListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One multipart upload of {@link S3ArtifactRepository}: create (recording the part size for the ETag check),
 * parts in parallel on the repository's bounded pool, each read from its file region, then complete; on any
 * failure or interruption the parts still in flight are stopped and waited for, and the upload is aborted, so
 * no parts stay behind. Used once, from one thread.
 */
final class S3MultipartUpload {
    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    /** Maps an SDK failure to the repository's one-line message. */
    interface Failures {
        IOException map(SdkException e, String action, String key);
    }

    private final S3Client s3;
    private final S3Location location;
    private final S3Settings settings;
    private final ExecutorService parts;
    private final Failures failures;
    private final Path file;
    private final String artifactPath;
    private final String key;
    private final long size;
    private final TransferListener listener;

    S3MultipartUpload(S3Client s3, S3Location location, S3Settings settings, ExecutorService parts, Failures failures,
                      Path file, String artifactPath, String key, long size, TransferListener listener) {
        this.s3 = s3;
        this.location = location;
        this.settings = settings;
        this.parts = parts;
        this.failures = failures;
        this.file = file;
        this.artifactPath = artifactPath;
        this.key = key;
        this.size = size;
        this.listener = listener;
    }

    void run() throws IOException {
        long partSize = settings.partSizeFor(size);
        int count = (int) ((size + partSize - 1) / partSize);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(r -> r.bucket(location.bucket()).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                    .contentType("application/octet-stream")
                    .metadata(Map.of(EtagDigest.PART_SIZE_METADATA, Long.toString(partSize)))).uploadId();
        } catch (SdkException e) {
            throw failures.map(e, "starting the multipart upload of '" + artifactPath + "'", key);
        }
        List<Future<CompletedPart>> futures = new ArrayList<>(count);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(count);
        try {
            for (int i = 0; i < count; i++) {
                int number = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, size - offset);
                futures.add(parts.submit(() -> {
                    try {
                        if (stop.get()) {
                            throw new CancellationException("upload aborted");
                        }
                        return part(uploadId, number, offset, length, stop);
                    } finally {
                        finished.countDown();
                    }
                }));
            }
            List<CompletedPart> done = new ArrayList<>(count);
            for (Future<CompletedPart> f : futures) {
                done.add(f.get());
            }
            s3.completeMultipartUpload(r -> r.bucket(location.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
            LOG.debug("uploaded {} in {} parts of {} bytes", artifactPath, count, partSize);
        } catch (InterruptedException e) {
            abort(uploadId, stop, finished);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("upload of '" + artifactPath + "' interrupted; the multipart upload was aborted");
        } catch (ExecutionException | CancellationException e) {
            abort(uploadId, stop, finished);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SdkException se) {
                throw failures.map(se, "uploading a part of '" + artifactPath + "'", key);
            }
            if (cause instanceof java.io.UncheckedIOException u) {
                throw u.getCause();
            }
            throw cause instanceof IOException io ? io : new IOException("uploading '" + artifactPath + "' failed: " + cause, cause);
        } catch (SdkException e) {
            abort(uploadId, stop, finished);
            throw failures.map(e, "completing the multipart upload of '" + artifactPath + "'", key);
        } catch (RuntimeException | Error e) {
            abort(uploadId, stop, finished);
            throw e;
        }
    }

    private CompletedPart part(String uploadId, int number, long offset, long length, AtomicBoolean stop) {
        FileRegionContent body = new FileRegionContent(file, offset, length, n -> listener.transferred(artifactPath, n), stop::get);
        UploadPartResponse r = s3.uploadPart(p -> p.bucket(location.bucket()).key(key).uploadId(uploadId).partNumber(number)
                .contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromContentProvider(body, length, "application/octet-stream"));
        return CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build();
    }

    private void abort(String uploadId, AtomicBoolean stop, CountDownLatch finished) {
        // Parts not started yet skip themselves; parts in flight stop at their next read of the file. Wait for
        // them, so that no part lands after the abort (an HTTP write cannot be interrupted).
        stop.set(true);
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + settings.timeout().multipliedBy(2).toNanos();
        while (finished.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                finished.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            s3.abortMultipartUpload(r -> r.bucket(location.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warn("could not abort the multipart upload of {} ({}): its parts stay in the bucket until a lifecycle rule removes them",
                    artifactPath, failures.map(e, "aborting the multipart upload", key).getMessage());
        }
    }
}
