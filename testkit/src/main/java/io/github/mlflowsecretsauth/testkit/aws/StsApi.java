package io.github.mlflowsecretsauth.testkit.aws;

import java.util.UUID;

/**
 * The one STS operation the testkit speaks, {@code GetCallerIdentity} (query protocol: a form body
 * {@code Action=GetCallerIdentity&Version=2011-06-15}, an XML answer), and STS's XML errors.
 *
 * <p>Thread-safe: stateless.
 */
final class StsApi {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsApi() {}

    static AwsReply handle(String action, AwsPrincipal caller) {
        if (!action.equals("GetCallerIdentity")) {
            throw new AwsError(400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
        }
        return AwsReply.xml("<GetCallerIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + AwsReply.escape(caller.arn()) + "</Arn>\n"
                + "    <UserId>" + AwsReply.escape(caller.userId()) + "</UserId>\n"
                + "    <Account>" + AwsReply.escape(caller.account()) + "</Account>\n"
                + "  </GetCallerIdentityResult>\n"
                + "  <ResponseMetadata>\n    <RequestId>" + UUID.randomUUID() + "</RequestId>\n  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n");
    }

    /** The XML error STS answers for a failed signature check. */
    static AwsError authError(SigV4Result r) {
        return switch (r.outcome()) {
            case MISSING -> new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
            case MALFORMED -> new AwsError(400, "IncompleteSignature", r.detail());
            case UNKNOWN_KEY -> new AwsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
            case EXPIRED_TOKEN -> new AwsError(400, "ExpiredToken", "The security token included in the request is expired");
            default -> new AwsError(403, "SignatureDoesNotMatch", SecretsManagerApi.signatureMessage(r));
        };
    }
}
