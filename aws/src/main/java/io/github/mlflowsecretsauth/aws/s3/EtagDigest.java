package io.github.mlflowsecretsauth.aws.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recomputes an S3 ETag from the bytes of a download, where the ETag is an MD5 by construction: the MD5
 * of the object for a single-part upload, and for a multipart upload the MD5 of the parts' MD5s followed by
 * {@code -N}, which needs the part size (this store records it in the object's metadata as
 * {@value #PART_SIZE_METADATA}). Objects encrypted with SSE-KMS or SSE-C have other ETags and are not
 * checked. Not thread-safe: one per download.
 */
final class EtagDigest {
    /** User metadata key ({@code x-amz-meta-mlflow-part-size}) that records the part size of a multipart upload. */
    static final String PART_SIZE_METADATA = "mlflow-part-size";
    private static final Pattern SINGLE = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern MULTI = Pattern.compile("([0-9a-f]{32})-(\\d+)");

    private final String expected;
    private final long partSize; // 0 for a single-part ETag
    private final MessageDigest part = md5();
    private final MessageDigest parts = md5();
    private long inPart;
    private int partCount;

    private EtagDigest(String expected, long partSize) {
        this.expected = expected;
        this.partSize = partSize;
    }

    /**
     * A digest for {@code etag}, if it can be checked.
     *
     * @param etag           the ETag as S3 sent it (quotes allowed)
     * @param encryption     the {@code x-amz-server-side-encryption} value, or null
     * @param customerKey    whether SSE-C was used
     * @param partSizeOfMeta the part size recorded in the metadata, if any
     */
    static Optional<EtagDigest> forEtag(String etag, String encryption, boolean customerKey, Optional<Long> partSizeOfMeta) {
        if (etag == null || customerKey || (encryption != null && encryption.toLowerCase(Locale.ROOT).startsWith("aws:kms"))) {
            return Optional.empty();
        }
        String e = etag.replace("\"", "").toLowerCase(Locale.ROOT);
        if (SINGLE.matcher(e).matches()) {
            return Optional.of(new EtagDigest(e, 0));
        }
        if (MULTI.matcher(e).matches() && partSizeOfMeta.isPresent() && partSizeOfMeta.get() > 0) {
            return Optional.of(new EtagDigest(e, partSizeOfMeta.get()));
        }
        return Optional.empty();
    }

    void update(byte[] b, int off, int len) {
        if (partSize == 0) {
            part.update(b, off, len);
            return;
        }
        while (len > 0) {
            int n = (int) Math.min(len, partSize - inPart);
            part.update(b, off, n);
            inPart += n;
            off += n;
            len -= n;
            if (inPart == partSize) {
                endPart();
            }
        }
    }

    private void endPart() {
        parts.update(part.digest());
        partCount++;
        inPart = 0;
    }

    /** Whether the bytes seen make the expected ETag. */
    boolean matches() {
        if (partSize == 0) {
            return HexFormat.of().formatHex(part.digest()).equals(expected);
        }
        if (inPart > 0) {
            endPart();
        }
        return (HexFormat.of().formatHex(parts.digest()) + "-" + partCount).equals(expected);
    }

    /** {@code MD5} or {@code multipart MD5}, for reports. */
    String kind() {
        return partSize == 0 ? "MD5 ETag" : "multipart MD5 ETag";
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
