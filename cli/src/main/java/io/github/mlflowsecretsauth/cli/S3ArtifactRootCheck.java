package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.aws.s3.S3ArtifactRepositoryFactory;
import io.github.mlflowsecretsauth.aws.s3.S3Location;
import io.github.mlflowsecretsauth.aws.s3.S3RootProbe;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.SecretsAuthException;

/**
 * {@code doctor}'s S3 artifact root check, when {@code MLFLOW_ARTIFACT_ROOT} is {@code s3://}: with the
 * project-scoped credentials, the bucket is reachable and a probe object is written, read back and deleted
 * (the seed's S3 test script). One report section with a line per step; a failing step names the bucket,
 * key and credential source, and says what to grant or fix.
 */
final class S3ArtifactRootCheck {
    private S3ArtifactRootCheck() {
    }

    static boolean applies(Settings settings) {
        return settings.get(S3ArtifactRepositoryFactory.ARTIFACT_ROOT).filter(v -> v.regionMatches(true, 0, "s3://", 0, 5)).isPresent();
    }

    static Check run(Settings settings) {
        Check c = new Check("S3 artifact root", Status.OK);
        try {
            S3Location location = S3Location.parse(S3ArtifactRepositoryFactory.ARTIFACT_ROOT,
                    settings.get(S3ArtifactRepositoryFactory.ARTIFACT_ROOT).orElseThrow());
            c.detail("Artifact root", location.toString());
            S3RootProbe.Result result = S3RootProbe.run(location, settings);
            c.detail("Credentials", result.credentials());
            c.detail("Endpoint", result.endpoint());
            for (S3RootProbe.Step step : result.steps()) {
                c.detail(step.name(), (step.ok() ? "ok: " : "FAILED: ") + step.detail());
                if (!step.ok() && c.status() == Status.OK) {
                    c.status(Status.FAIL).error(step.error()).solution(step.hint());
                }
            }
        } catch (SecretsAuthException e) {
            c.status(Status.FAIL).error(e.getMessage()).solution("fix the setting named above");
        }
        return c;
    }
}
