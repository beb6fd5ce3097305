package io.github.mlflowsecretsauth.testkit.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pieces of AWS Signature Version 4 as AWS's specification defines them ("Create a canonical
 * request", "Create a string to sign", "Calculate the signature"), built on the JDK's SHA-256
 * {@link MessageDigest} and HMAC-SHA256 {@link Mac}. Used by {@link SigV4Verifier} to recompute a
 * received request's signature independently of the AWS SDK that made it.
 *
 * <p>Thread-safe: stateless.
 */
public final class SigV4 {

    /** The only algorithm this project verifies. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The payload-hash value a client sends when it does not sign the body. */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {}

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The canonical request: six parts joined by newlines. */
    public static String canonicalRequest(String method, String canonicalUri, String canonicalQuery,
                                          String canonicalHeaders, String signedHeaders, String payloadHash) {
        return method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n" + signedHeaders
                + "\n" + payloadHash;
    }

    /**
     * The canonical URI of a path as it was sent on the wire (percent-encoded once). Every service
     * but S3 encodes it a second time ({@code doubleEncode}) after removing dot segments; S3 uses
     * it as sent. An empty path is {@code /}.
     */
    public static String canonicalUri(String rawPath, boolean doubleEncode) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!doubleEncode) {
            return path;
        }
        return uriEncode(removeDotSegments(path), false);
    }

    /**
     * The canonical query string of a raw query: each name and value percent-decoded, then encoded
     * with {@link #uriEncode}, sorted by name then value, a missing value as {@code name=}.
     */
    public static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(new String[] {uriEncode(percentDecode(name), true), uriEncode(percentDecode(value), true)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /**
     * The canonical headers block for {@code signedHeaders} (lower-case names in the order given):
     * {@code name:value\n} per header, several values joined by commas, each value trimmed and its
     * inner runs of spaces collapsed to one. {@code headers} must look names up ignoring case.
     */
    public static String canonicalHeaders(Map<String, List<String>> headers, List<String> signedHeaders) {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = headers.getOrDefault(name, List.of());
            List<String> trimmed = new ArrayList<>();
            for (String v : values) {
                trimmed.add(v.strip().replaceAll(" +", " "));
            }
            sb.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return sb.toString();
    }

    /** {@code AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256 of the canonical request>}. */
    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** The derived signing key: HMAC chain over date, region, service and {@code aws4_request}. */
    public static byte[] signingKey(String secretAccessKey, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "aws4_request");
    }

    /** Hex HMAC-SHA256 of the string to sign under the signing key. */
    public static String signature(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    /**
     * AWS's URI encoding: unreserved characters ({@code A-Z a-z 0-9 - _ . ~}) stay, every other
     * UTF-8 byte becomes {@code %XX} in upper case; {@code /} stays unless {@code encodeSlash}.
     */
    public static String uriEncode(String s, boolean encodeSlash) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Decodes {@code %XX} sequences (a {@code +} stays a plus sign, as SigV4 expects). */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** RFC 3986 section 5.2.4, as {@link java.net.URI#normalize()} does for the SDK. */
    static String removeDotSegments(String path) {
        if (!path.contains("/.") && !path.startsWith(".")) {
            return path;
        }
        try {
            String normalized = new java.net.URI("http://h" + (path.startsWith("/") ? "" : "/") + path).normalize().getRawPath();
            return normalized.isEmpty() ? "/" : normalized;
        } catch (java.net.URISyntaxException e) {
            return path;
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
