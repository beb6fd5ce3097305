package io.github.mlflowsecretsauth.testkit.aws;

import io.github.mlflowsecretsauth.testkit.aws.SigV4Result.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks the AWS Signature Version 4 of a received request the way an AWS front end does: it reads
 * the {@code Authorization} header, looks the access key up, checks the session token, the
 * credential scope (date, region, service) and the clock skew, then rebuilds the canonical request
 * from what actually arrived (method, path, query, the signed headers, the SHA-256 of the body)
 * and recomputes the signature with {@link SigV4} (JDK HMAC-SHA256). Nothing is taken from the
 * client's word except the list of signed headers, so a body or header changed after signing
 * fails. Presigned URLs (signature in the query) are not supported.
 *
 * <p>Usable in front of any server (an API-Gateway-style check), not only {@link AwsServer}.
 *
 * <p>Thread-safe if the key lookup is.
 */
public final class SigV4Verifier {

    /** {@link SigV4Result#detail()} when everything but the signature itself checked out. */
    public static final String MISMATCH = "signature mismatch";

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Function<String, Optional<AwsPrincipal>> keys;
    private final Predicate<String> expiredTokens;
    private final Clock clock;
    private final Duration maxSkew;

    /**
     * @param keys          finds the principal of an access key id
     * @param expiredTokens tells whether an access key's session token has expired
     * @param clock         the verifier's idea of now, for the skew check
     * @param maxSkew       how far the request's {@code X-Amz-Date} may be from now (AWS allows 5 minutes)
     */
    public SigV4Verifier(Function<String, Optional<AwsPrincipal>> keys, Predicate<String> expiredTokens, Clock clock,
                         Duration maxSkew) {
        this.keys = Objects.requireNonNull(keys);
        this.expiredTokens = Objects.requireNonNull(expiredTokens);
        this.clock = Objects.requireNonNull(clock);
        this.maxSkew = Objects.requireNonNull(maxSkew);
    }

    /** A verifier over a fixed set of principals, the system clock and a 5-minute skew. */
    public static SigV4Verifier of(Collection<AwsPrincipal> principals) {
        Map<String, AwsPrincipal> byKey = new HashMap<>();
        principals.forEach(p -> byKey.put(p.accessKeyId(), p));
        return new SigV4Verifier(k -> Optional.ofNullable(byKey.get(k)), k -> false, Clock.systemUTC(), Duration.ofMinutes(5));
    }

    /**
     * Verifies {@code request}. {@code region} and {@code service}, when not {@code null}, are what
     * the credential scope must name. The path is double-encoded for every service but {@code s3}.
     */
    public SigV4Result verify(SignedRequest request, String region, String service) {
        return verify(request, region, service, true);
    }

    /**
     * Verifies {@code request} as S3 does for a body that streams past (a forwarder that must not buffer
     * gigabytes): the signature is recomputed over the method, path, query, signed headers and the payload
     * hash the client declared in {@code X-Amz-Content-Sha256} (a hex SHA-256, {@code UNSIGNED-PAYLOAD} or a
     * {@code STREAMING-*} chunk-signing mode), without hashing the body. {@link SignedRequest#body()} is ignored.
     * A request without {@code X-Amz-Content-Sha256} is malformed, as S3 answers it.
     */
    public SigV4Result verifyDeclaredPayload(SignedRequest request, String region, String service) {
        return verify(request, region, service, false);
    }

    private SigV4Result verify(SignedRequest request, String region, String service, boolean hashBody) {
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            return SigV4Result.failure(Outcome.MISSING, null, null, null, "Missing Authentication Token", null);
        }
        String auth = header.get().strip();
        if (!auth.startsWith(SigV4.ALGORITHM + " ")) {
            return malformed(null, "Authorization header must use " + SigV4.ALGORITHM);
        }
        Map<String, String> params = parameters(auth.substring(SigV4.ALGORITHM.length() + 1));
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!params.containsKey(required)) {
                return malformed(null, "Authorization header requires '" + required + "' parameter");
            }
        }
        String[] scope = params.get("Credential").split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return malformed(null, "Credential must be <key>/<date>/<region>/<service>/aws4_request");
        }
        String keyId = scope[0];
        String scopeRegion = scope[2];
        String scopeService = scope[3];
        Optional<AwsPrincipal> principal = keys.apply(keyId);
        if (principal.isEmpty()) {
            return fail(Outcome.UNKNOWN_KEY, keyId, scopeRegion, scopeService, "unknown access key id", null);
        }
        Optional<String> token = request.header("X-Amz-Security-Token");
        if (!principal.get().sessionToken().equals(token)) {
            return fail(Outcome.UNKNOWN_KEY, keyId, scopeRegion, scopeService,
                    token.isPresent() ? "wrong or unexpected session token" : "temporary credentials sent without their session token", null);
        }
        if (token.isPresent() && expiredTokens.test(keyId)) {
            return fail(Outcome.EXPIRED_TOKEN, keyId, scopeRegion, scopeService, "the session token has expired", null);
        }
        if (region != null && !region.equals(scopeRegion)) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService, "Credential should be scoped to a valid region.", null);
        }
        if (service != null && !service.equals(scopeService)) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService,
                    "Credential should be scoped to correct service: '" + service + "'.", null);
        }
        Optional<String> amzDate = request.header("X-Amz-Date");
        if (amzDate.isEmpty()) {
            return malformed(keyId, "Authorization header requires existence of a 'X-Amz-Date' header");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate.get()));
        } catch (DateTimeParseException e) {
            return malformed(keyId, "X-Amz-Date must be yyyyMMdd'T'HHmmss'Z'");
        }
        if (!amzDate.get().startsWith(scope[1])) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService,
                    "Date in Credential scope does not match the date of X-Amz-Date", null);
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(maxSkew))) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService, "Signature expired: " + amzDate.get()
                    + " is now earlier than " + AMZ_DATE.format(now.minus(maxSkew)), null);
        }
        if (signedAt.isAfter(now.plus(maxSkew))) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService, "Signature not yet current: " + amzDate.get()
                    + " is still later than " + AMZ_DATE.format(now.plus(maxSkew)), null);
        }
        List<String> signedHeaders = Arrays.asList(params.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
        if (!signedHeaders.contains("host")) {
            return malformed(keyId, "'Host' must be a 'SignedHeader' in the AWS Authorization");
        }
        String payloadHash;
        if (!hashBody) {
            Optional<String> declared = request.header("X-Amz-Content-Sha256");
            if (declared.isEmpty()) {
                return malformed(keyId, "Missing required header for this request: x-amz-content-sha256");
            }
            payloadHash = declared.get();
        } else {
            String actualHash = SigV4.sha256Hex(request.body());
            payloadHash = request.header("X-Amz-Content-Sha256").orElse(actualHash);
            if (payloadHash.equals(SigV4.UNSIGNED_PAYLOAD) && !"s3".equals(scopeService)) {
                // UNSIGNED-PAYLOAD is S3's convention; outside S3 the body's hash is signed (botocore does so too),
                // so a signature that leaves the body out is refused here rather than trusted.
                return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService,
                        "UNSIGNED-PAYLOAD is accepted by S3 only: sign the body's SHA-256", null);
            }
            if (!payloadHash.equals(SigV4.UNSIGNED_PAYLOAD) && !payloadHash.equals(actualHash)) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService,
                    "the body does not match X-Amz-Content-Sha256 (streaming payloads are not supported)", null);
            }
        }
        String canonical = SigV4.canonicalRequest(request.method(),
                SigV4.canonicalUri(request.rawPath(), !"s3".equals(scopeService)), SigV4.canonicalQuery(request.rawQuery()),
                SigV4.canonicalHeaders(request.headers(), signedHeaders), String.join(";", signedHeaders), payloadHash);
        String stringToSign = SigV4.stringToSign(amzDate.get(), scope[1] + "/" + scopeRegion + "/" + scopeService + "/aws4_request",
                canonical);
        String expected = SigV4.signature(SigV4.signingKey(principal.get().secretAccessKey(), scope[1], scopeRegion, scopeService),
                stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                params.get("Signature").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return fail(Outcome.BAD_SIGNATURE, keyId, scopeRegion, scopeService, MISMATCH, canonical);
        }
        return new SigV4Result(Outcome.VALID, Optional.of(keyId), Optional.of(scopeRegion), Optional.of(scopeService), "valid",
                Optional.of(canonical));
    }

    private static Map<String, String> parameters(String text) {
        Map<String, String> out = new HashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static SigV4Result malformed(String keyId, String detail) {
        return SigV4Result.failure(Outcome.MALFORMED, keyId, null, null, detail, null);
    }

    private static SigV4Result fail(Outcome outcome, String keyId, String region, String service, String detail, String canonical) {
        return SigV4Result.failure(outcome, keyId, region, service, detail, canonical);
    }
}
