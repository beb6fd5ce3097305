package io.github.mlflowsecretsauth.testkit.aws;

import java.util.Optional;

/**
 * What {@link SigV4Verifier} concluded about one request. {@link #canonicalRequest()} is there to
 * debug a mismatch; it can hold a session token, so {@link #toString()} leaves it out.
 *
 * <p>Thread-safe: immutable.
 *
 * @param outcome          the verdict
 * @param accessKeyId      the key id named in the request's credential scope, if it could be read
 * @param region           the scope's region, if it could be read
 * @param service          the scope's service, if it could be read
 * @param detail           a one-line reason for tests and logs, never a secret
 * @param canonicalRequest the canonical request the verifier computed, when it got that far
 */
public record SigV4Result(Outcome outcome, Optional<String> accessKeyId, Optional<String> region, Optional<String> service,
                          String detail, Optional<String> canonicalRequest) {

    /** Verdicts, each matching an error AWS answers with. */
    public enum Outcome {
        /** Signed by a known key, signature and scope correct. */
        VALID,
        /** No {@code Authorization} header (AWS: MissingAuthenticationToken). */
        MISSING,
        /** The header cannot be parsed or leaves out required parts (AWS: IncompleteSignature). */
        MALFORMED,
        /** The access key id is unknown, or its session token is missing or wrong (AWS: UnrecognizedClient / InvalidClientTokenId). */
        UNKNOWN_KEY,
        /** The session token has expired (AWS: ExpiredToken). */
        EXPIRED_TOKEN,
        /** The signature does not match, or the scope names another region or service, or the date is off (AWS: InvalidSignature / SignatureDoesNotMatch). */
        BAD_SIGNATURE
    }

    public boolean valid() {
        return outcome == Outcome.VALID;
    }

    static SigV4Result failure(Outcome outcome, String accessKeyId, String region, String service, String detail,
                               String canonicalRequest) {
        return new SigV4Result(outcome, Optional.ofNullable(accessKeyId), Optional.ofNullable(region),
                Optional.ofNullable(service), detail, Optional.ofNullable(canonicalRequest));
    }

    @Override
    public String toString() {
        return "SigV4Result{" + outcome + accessKeyId.map(k -> ", key=" + k).orElse("") + region.map(r -> ", region=" + r).orElse("")
                + service.map(s -> ", service=" + s).orElse("") + ", " + detail + "}";
    }
}
