package io.github.mlflowsecretsauth.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Routes a verified Secrets Manager call ({@code X-Amz-Target: secretsmanager.<Operation>}) to the
 * {@link SecretStore}, after the per-key access check, and maps signature failures to the JSON
 * errors AWS answers.
 *
 * <p>Thread-safe: stateless beyond the thread-safe {@link AwsState}.
 */
final class SecretsManagerApi {
    static final String TARGET_PREFIX = "secretsmanager.";
    static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    private SecretsManagerApi() {}

    static AwsReply handle(AwsState state, String operation, JsonNode req, AwsPrincipal caller) {
        String resource = req.path(operation.equals("CreateSecret") ? "Name" : "SecretId").asText("");
        String name = state.secrets.nameOf(resource).orElse(resource);
        if (state.denied(caller.accessKeyId(), name)) {
            throw new AwsError(400, "AccessDeniedException", "User: " + caller.arn() + " is not authorized to perform: secretsmanager:"
                    + operation + " on resource: " + resource + " because no identity-based policy allows the secretsmanager:"
                    + operation + " action");
        }
        Map<String, Object> out = switch (operation) {
            case "GetSecretValue" -> state.secrets.getSecretValue(req);
            case "PutSecretValue" -> state.secrets.putSecretValue(req);
            case "CreateSecret" -> state.secrets.createSecret(req);
            case "DescribeSecret" -> state.secrets.describeSecret(req);
            case "UpdateSecretVersionStage" -> state.secrets.updateSecretVersionStage(req);
            default -> throw new AwsError(400, "UnknownOperationException", "Unknown operation " + operation);
        };
        return AwsReply.json(out);
    }

    /** The JSON error Secrets Manager answers for a failed signature check. */
    static AwsError authError(SigV4Result r) {
        return switch (r.outcome()) {
            case MISSING -> new AwsError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
            case MALFORMED -> new AwsError(400, "IncompleteSignatureException", r.detail());
            case UNKNOWN_KEY -> new AwsError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
            case EXPIRED_TOKEN -> new AwsError(400, "ExpiredTokenException", "The security token included in the request is expired");
            default -> new AwsError(400, "InvalidSignatureException", signatureMessage(r));
        };
    }

    static String signatureMessage(SigV4Result r) {
        return r.detail().equals(SigV4Verifier.MISMATCH) ? SIGNATURE_MISMATCH : r.detail();
    }
}
