package io.github.mlflowsecretsauth.testkit.aws;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * What STS answers to a signed {@code sts:GetCallerIdentity} request, for a testkit server that hands such a request
 * to STS instead of receiving it itself (the testkit Vault's {@code aws} auth method, as Vault's server forwards the
 * login's request): the caller when {@link SigV4Verifier} accepts the signature, else STS's own XML error
 * ({@code SignatureDoesNotMatch}, {@code InvalidClientTokenId}, ...). {@link #toString()} shows no credential.
 *
 * <p>Thread-safe: immutable.
 *
 * @param status HTTP status STS answers
 * @param caller the verified caller, on success
 * @param body   STS's XML answer (the {@code GetCallerIdentityResponse} or the {@code ErrorResponse})
 */
public record StsAnswer(int status, Optional<AwsPrincipal> caller, String body) {

    /**
     * Verifies {@code request} for service {@code sts} in {@code region} (the region of the STS endpoint that would
     * receive it: {@code us-east-1} for the global {@code sts.amazonaws.com}) and answers as STS does.
     */
    public static StsAnswer getCallerIdentity(SigV4Verifier verifier, Function<String, Optional<AwsPrincipal>> keys,
                                              SignedRequest request, String region) {
        SigV4Result r = verifier.verify(request, region, "sts");
        AwsReply reply;
        AwsPrincipal caller = null;
        try {
            if (!r.valid()) {
                throw StsApi.authError(r);
            }
            caller = keys.apply(r.accessKeyId().orElseThrow()).orElseThrow();
            reply = StsApi.handle(action(request), caller);
        } catch (AwsError e) {
            reply = AwsReply.xmlError(e, StsApi.NAMESPACE);
            caller = null;
        }
        return new StsAnswer(reply.status(), Optional.ofNullable(caller), new String(reply.body(), StandardCharsets.UTF_8));
    }

    private static String action(SignedRequest request) {
        for (String pair : new String(request.body(), StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return java.net.URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AwsError(400, "MissingAction", "Missing Action");
    }

    @Override
    public String toString() {
        return "StsAnswer{" + status + caller.map(c -> ", " + c.arn()).orElse("") + "}";
    }
}
