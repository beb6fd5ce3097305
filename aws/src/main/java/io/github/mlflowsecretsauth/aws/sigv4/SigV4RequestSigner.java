package io.github.mlflowsecretsauth.aws.sigv4;

import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.spi.RequestBody;
import io.github.mlflowsecretsauth.spi.RequestSigner;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Signs MLflow requests with AWS SigV4 (the AWS SDK's {@link AwsV4HttpSigner}) using the project-scoped
 * credentials, for MLflow behind API Gateway or another SigV4 front end. The signature covers the SHA-256 of
 * the body actually sent, which the SDK reads from the caller's {@link RequestBody}. Also signs the requests this
 * project makes itself ({@link #signRequest}: the Vault {@code aws} login's {@code sts:GetCallerIdentity}).
 * Thread-safe; credentials are resolved (and refreshed by the SDK) per call.
 */
public final class SigV4RequestSigner implements RequestSigner {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final ProjectAwsCredentials credentials;
    private final Region region;
    private final String service;
    private final String regionFrom;

    SigV4RequestSigner(ProjectAwsCredentials credentials, Region region, String regionFrom, String service) {
        this.credentials = credentials;
        this.region = region;
        this.regionFrom = regionFrom;
        this.service = service;
    }

    /** A signer for {@code service} in {@code region} with the project-scoped credentials. */
    public static SigV4RequestSigner of(ProjectAwsCredentials credentials, Region region, String regionFrom, String service) {
        return new SigV4RequestSigner(credentials, region, regionFrom, service);
    }

    @Override
    public Map<String, String> sign(String method, URI uri, String host, RequestBody body) {
        Map<String, String> out = signRequest(method, uri, Map.of("Host", host), body, null, "sign MLflow requests");
        out.keySet().removeIf(name -> name.equalsIgnoreCase("Host"));
        return out;
    }

    /**
     * Signs a request this project sends or hands on: {@code headers} (with {@code Host}, or it is taken from
     * {@code uri}) are among the signed ones, the signing time is {@code clock}'s instant (the system clock when
     * {@code null}). Returns every header of the signed request, {@code Host} included.
     *
     * @param purpose what the signature is for, in the error when no credentials can be had ({@code sign MLflow requests})
     */
    public Map<String, String> signRequest(String method, URI uri, Map<String, String> headers, RequestBody body,
                                           java.time.Clock clock, String purpose) {
        AwsCredentialsIdentity identity;
        try {
            identity = credentials.provider().resolveCredentials();
        } catch (SdkClientException e) {
            throw new AccessDeniedException("no AWS credentials to " + purpose + " (" + credentials.sourceLabel()
                    + "): set MLFLOW_AWS_ACCESS_KEY_ID/MLFLOW_AWS_SECRET_ACCESS_KEY, AWS_* keys, or configure a profile or role");
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT)))
                .uri(uri);
        headers.forEach(request::putHeader);
        // The signature covers the body's SHA-256, as botocore and MLflow's own SigV4 auth sign it; UNSIGNED-PAYLOAD
        // is an S3 convention that an API Gateway need not accept.
        SignedRequest signed = SIGNER.sign(r -> {
            r.identity(identity).request(request.build()).payload(() -> open(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                    .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true);
            if (clock != null) {
                r.putProperty(software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK, clock);
            }
        });
        Map<String, String> out = new LinkedHashMap<>();
        signed.request().headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                out.put(name, values.get(0));
            }
        });
        return out;
    }

    private static java.io.InputStream open(RequestBody body) {
        try {
            return body.open();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read the request body to sign it", e);
        }
    }

    @Override
    public Map<String, String> describe() {
        return Map.of("signing", "AWS SigV4", "service", service, "region", region.id() + " (" + regionFrom + ")",
                "aws credentials", credentials.sourceLabel());
    }

    @Override
    public String toString() {
        return "SigV4RequestSigner{service=" + service + ", region=" + region.id() + ", credentials=" + credentials.sourceLabel() + "}";
    }
}
