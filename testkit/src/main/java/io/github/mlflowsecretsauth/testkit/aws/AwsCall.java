package io.github.mlflowsecretsauth.testkit.aws;

import java.time.Instant;
import java.util.Optional;

/**
 * One request an {@link AwsServer} answered, for assertions: which service and operation, which
 * access key id signed it (as named in its credential scope, even when the server rejected it), and
 * what the server answered. Holds no body, signature or token.
 *
 * <p>Thread-safe: immutable.
 *
 * @param service       {@code secretsmanager}, {@code sts}, or {@code unknown}
 * @param operation     e.g. {@code GetSecretValue}, {@code GetCallerIdentity}
 * @param accessKeyId   the key id that signed the request, if it carried a readable signature
 * @param authenticated whether the signature was verified
 * @param status        the HTTP status answered
 * @param errorType     the AWS error code answered, if any (e.g. {@code ThrottlingException})
 * @param at            when it arrived, by the server's clock
 */
public record AwsCall(String service, String operation, Optional<String> accessKeyId, boolean authenticated, int status,
                      Optional<String> errorType, Instant at) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
