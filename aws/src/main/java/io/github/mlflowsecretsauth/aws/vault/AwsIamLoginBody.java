package io.github.mlflowsecretsauth.aws.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.sigv4.SigV4RequestSigner;
import io.github.mlflowsecretsauth.spi.RequestBody;
import io.github.mlflowsecretsauth.spi.VaultLoginBody;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of one Vault {@code aws} (iam) login, as Vault's API documents it and Vault Agent sends it:
 * {@code role}, {@code iam_http_request_method=POST}, and base64 of the {@code sts:GetCallerIdentity} request's URL,
 * form body ({@code Action=GetCallerIdentity&Version=2011-06-15}) and headers (JSON, name to list of values, as Go's
 * {@code http.Header}), signed now with the AWS SDK's SigV4 signer. The signature, the session token and the encoded
 * headers are reported as secrets: a signed request is a login for the minutes it is valid. Thread-safe.
 */
final class AwsIamLoginBody implements VaultLoginBody {
    static final String SERVER_ID_HEADER = "X-Vault-AWS-IAM-Server-ID";
    static final String FORM = "Action=GetCallerIdentity&Version=2011-06-15";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STS_ERROR = Pattern.compile("from STS: (?=\\s*<)");
    private static final Pattern STS_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final Pattern STS_MESSAGE = Pattern.compile("<Message>([^<]{1,300})</Message>");

    private final String role;
    private final ProjectAwsCredentials credentials;
    private final SigV4RequestSigner signer;
    private final URI url;
    private final Optional<String> serverId;
    private final String signingRegion;

    AwsIamLoginBody(String role, ProjectAwsCredentials credentials, SigV4RequestSigner signer, URI url, Optional<String> serverId,
                    String signingRegion) {
        this.role = role;
        this.credentials = credentials;
        this.signer = signer;
        this.url = url;
        this.serverId = serverId;
        this.signingRegion = signingRegion;
    }

    @Override
    public Body make(Clock clock) {
        Map<String, String> toSign = new LinkedHashMap<>();
        toSign.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        serverId.ifPresent(v -> toSign.put(SERVER_ID_HEADER, v));
        byte[] form = FORM.getBytes(StandardCharsets.UTF_8);
        Map<String, String> signed = signer.signRequest("POST", url, toSign, RequestBody.of(form), clock,
                "sign the Vault aws login's sts:GetCallerIdentity");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        signed.forEach((name, value) -> {
            headers.put(name, List.of(value));
            if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("X-Amz-Security-Token")) {
                secrets.add(value);
            }
        });
        String encodedHeaders;
        try {
            encodedHeaders = b64(JSON.writeValueAsBytes(headers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the signed headers as JSON", e);
        }
        secrets.add(encodedHeaders);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("role", role);
        fields.put("iam_http_request_method", "POST");
        fields.put("iam_request_url", b64(url.toString().getBytes(StandardCharsets.UTF_8)));
        fields.put("iam_request_body", b64(form));
        fields.put("iam_request_headers", encodedHeaders);
        return new Body(fields, secrets);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String fix() {
        return "check VAULT_AUTH_ROLE, that the role's"
                + " bound_iam_principal_arn names this AWS identity (" + credentials.sourceLabel() + ": "
                + credentials.keyVariables() + "), and that " + AwsVaultLoginFactory.HEADER_VALUE
                + " matches the mount's iam_server_id_header_value";
    }

    /**
     * Vault passes STS's refusal on as {@code ... from STS: <ErrorResponse ...><Error>...<Code>X</Code><Message>Y</Message>}:
     * kept as {@code ... from STS: X: Y}. Other errors stay as they are.
     */
    @Override
    public String explain(String vaultError) {
        Matcher from = STS_ERROR.matcher(vaultError);
        if (!from.find()) {
            return vaultError;
        }
        Matcher code = STS_CODE.matcher(vaultError);
        Matcher message = STS_MESSAGE.matcher(vaultError);
        return vaultError.substring(0, from.end()) + (code.find() ? code.group(1) : "?")
                + (message.find() ? ": " + message.group(1).strip() : "");
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("auth aws credentials", credentials.sourceLabel());
        credentials.maskedAccessKeyId().ifPresent(k -> d.put("auth aws access key id", k));
        d.put("auth aws sts", url + " (signed for " + signingRegion + ")");
        d.put("auth aws server id header", serverId.orElse("not sent (" + AwsVaultLoginFactory.HEADER_VALUE + " is not set)"));
        return d;
    }

    @Override
    public void close() {
        credentials.close();
    }

    @Override
    public String toString() {
        return "AwsIamLoginBody{" + url + ", credentials=" + credentials.sourceLabel() + serverId.map(v -> ", server id " + v)
                .orElse("") + "}";
    }
}
