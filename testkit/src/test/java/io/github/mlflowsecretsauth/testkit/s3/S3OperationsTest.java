package io.github.mlflowsecretsauth.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The gateway names S3 operations from path-style requests as S3's router does. */
class S3OperationsTest {

    @Test
    void objectOperations() {
        assertThat(S3Operations.operation("PUT", "/b/k/x.bin", null, false)).isEqualTo("PutObject");
        assertThat(S3Operations.operation("PUT", "/b/k", "partNumber=2&uploadId=u", false)).isEqualTo("UploadPart");
        assertThat(S3Operations.operation("PUT", "/b/k", null, true)).isEqualTo("CopyObject");
        assertThat(S3Operations.operation("POST", "/b/k", "uploads", false)).isEqualTo("CreateMultipartUpload");
        assertThat(S3Operations.operation("POST", "/b/k", "uploadId=u", false)).isEqualTo("CompleteMultipartUpload");
        assertThat(S3Operations.operation("DELETE", "/b/k", "uploadId=u", false)).isEqualTo("AbortMultipartUpload");
        assertThat(S3Operations.operation("DELETE", "/b/k", null, false)).isEqualTo("DeleteObject");
        assertThat(S3Operations.operation("GET", "/b/k", null, false)).isEqualTo("GetObject");
        assertThat(S3Operations.operation("HEAD", "/b/k", null, false)).isEqualTo("HeadObject");
    }

    @Test
    void bucketOperations() {
        assertThat(S3Operations.operation("GET", "/b", "list-type=2&prefix=a%2F&delimiter=%2F", false)).isEqualTo("ListObjectsV2");
        assertThat(S3Operations.operation("GET", "/b/", "uploads&prefix=x", false)).isEqualTo("ListMultipartUploads");
        assertThat(S3Operations.operation("GET", "/b", null, false)).isEqualTo("ListObjects");
        assertThat(S3Operations.operation("HEAD", "/b", null, false)).isEqualTo("HeadBucket");
        assertThat(S3Operations.operation("GET", "/", null, false)).isEqualTo("ListBuckets");
    }

    @Test
    void bucketAndKey_areDecoded_plusStaysAPlus() {
        assertThat(S3Operations.bucketAndKey("/b/dir%20a/f+1.txt")).containsExactly("b", "dir a/f+1.txt");
        assertThat(S3Operations.bucketAndKey("/b")).containsExactly("b", "");
    }
}
