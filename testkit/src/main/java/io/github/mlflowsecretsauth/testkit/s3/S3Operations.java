package io.github.mlflowsecretsauth.testkit.s3;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/** Names the S3 operation of a path-style request from its method, path and query, as S3's router does. */
final class S3Operations {
    private S3Operations() {
    }

    /** {@code [bucket, key]} of a path-style path, decoded; either may be {@code ""}. */
    static String[] bucketAndKey(String rawPath) {
        String p = rawPath == null ? "" : rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int slash = p.indexOf('/');
        String bucket = slash < 0 ? p : p.substring(0, slash);
        String key = slash < 0 ? "" : p.substring(slash + 1);
        return new String[] {decode(bucket), decode(key)};
    }

    static String operation(String method, String rawPath, String rawQuery, boolean copySource) {
        String[] bk = bucketAndKey(rawPath);
        boolean hasKey = !bk[1].isEmpty();
        Set<String> q = new HashSet<>();
        if (rawQuery != null) {
            for (String part : rawQuery.split("&")) {
                int eq = part.indexOf('=');
                q.add(eq < 0 ? part : part.substring(0, eq));
                if (part.equals("list-type=2")) {
                    q.add("list-type=2");
                }
            }
        }
        if (bk[0].isEmpty()) {
            return "ListBuckets";
        }
        return switch (method) {
            case "PUT" -> !hasKey ? "CreateBucket" : q.contains("partNumber") && q.contains("uploadId") ? "UploadPart"
                    : copySource ? "CopyObject" : "PutObject";
            case "POST" -> !hasKey ? (q.contains("delete") ? "DeleteObjects" : "PostBucket")
                    : q.contains("uploads") ? "CreateMultipartUpload" : q.contains("uploadId") ? "CompleteMultipartUpload" : "PostObject";
            case "DELETE" -> !hasKey ? "DeleteBucket" : q.contains("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
            case "HEAD" -> hasKey ? "HeadObject" : "HeadBucket";
            case "GET" -> hasKey ? (q.contains("uploadId") ? "ListParts" : "GetObject")
                    : q.contains("uploads") ? "ListMultipartUploads" : q.contains("list-type=2") ? "ListObjectsV2"
                    : q.contains("location") ? "GetBucketLocation" : "ListObjects";
            default -> method;
        };
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
