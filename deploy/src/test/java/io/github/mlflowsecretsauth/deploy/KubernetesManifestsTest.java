package io.github.mlflowsecretsauth.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every manifest under deploy/kubernetes is valid against the Kubernetes API models and runs hardened containers. */
class KubernetesManifestsTest {

    static List<Path> manifestFiles() {
        return Manifests.files();
    }

    @ParameterizedTest
    @MethodSource("manifestFiles")
    void manifestParsesStrictlyAgainstTheApiModels(Path file) throws IOException {
        List<HasMetadata> resources = StrictManifests.read(file);
        assertThat(resources).as(file.toString()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.getMetadata().getName()).isNotBlank());
    }

    @Test
    void theThreeRecipesAreThere() {
        assertThat(Manifests.files()).extracting(p -> Repo.kubernetes().relativize(p).toString()).contains(
                "sidecar-job/job.yaml", "shared-proxy/proxy.yaml", "shared-proxy/client-job.yaml", "kubernetes-identity/job.yaml");
    }

    @Test
    void everyContainerRunsAsNonRoot_readOnly_withoutPrivileges_withResources() {
        List<Manifests.PodContainer> containers = Manifests.containers(Manifests.all());
        assertThat(containers).hasSizeGreaterThanOrEqualTo(6);
        for (Manifests.PodContainer pc : containers) {
            PodSecurityContext pod = pc.pod().getSecurityContext();
            SecurityContext c = pc.container().getSecurityContext();
            assertThat(c).as(pc.where() + " securityContext").isNotNull();
            Boolean nonRoot = c.getRunAsNonRoot() != null ? c.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
            Long uid = c.getRunAsUser() != null ? c.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
            assertThat(nonRoot).as(pc.where() + " runAsNonRoot").isTrue();
            assertThat(uid).as(pc.where() + " runAsUser").isNotNull().isPositive();
            assertThat(c.getAllowPrivilegeEscalation()).as(pc.where() + " allowPrivilegeEscalation").isFalse();
            assertThat(c.getReadOnlyRootFilesystem()).as(pc.where() + " readOnlyRootFilesystem").isTrue();
            assertThat(c.getCapabilities().getDrop()).as(pc.where() + " capabilities.drop").containsExactly("ALL");
            assertThat(pod.getSeccompProfile().getType()).as(pc.where() + " seccomp").isEqualTo("RuntimeDefault");
            assertThat(pc.container().getResources().getRequests()).as(pc.where() + " requests").containsKeys("cpu", "memory");
            assertThat(pc.container().getResources().getLimits()).as(pc.where() + " limits").containsKey("memory");
        }
    }

    @Test
    void everyProxyRunsAsTheImagesUser_andIsProbedOnItsHealthEndpoint() {
        List<Manifests.PodContainer> proxies = Manifests.containers(Manifests.all()).stream()
                .filter(pc -> Manifests.isProxy(pc.container())).toList();
        assertThat(proxies).hasSize(3);
        for (Manifests.PodContainer pc : proxies) {
            Container c = pc.container();
            assertThat(pc.pod().getSecurityContext().getRunAsUser()).as(pc.where()).isEqualTo(10001L);
            assertThat(c.getReadinessProbe().getExec().getCommand()).as(pc.where() + " readiness")
                    .containsExactly("/opt/mlflow-secrets-auth/healthcheck.sh", "5001");
            assertThat(c.getLivenessProbe().getExec().getCommand()).as(pc.where() + " liveness")
                    .containsExactly("/opt/mlflow-secrets-auth/healthcheck.sh", "--live", "5001");
            assertThat(c.getArgs()).as(pc.where()).containsSubsequence("--listen").contains("--upstream");
            assertThat(c.getVolumeMounts()).as(pc.where() + " a writable /tmp").anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
            if (pc.init()) {
                assertThat(c.getRestartPolicy()).as(pc.where() + ": a native sidecar").isEqualTo("Always");
                assertThat(c.getStartupProbe()).as(pc.where() + ": the training waits for it").isNotNull();
            }
        }
    }

    @Test
    void theDeliberatelyBrokenManifestsAreRefused() {
        Path broken = Repo.root().resolve("deploy/src/test/resources/broken");
        assertThatThrownBy(() -> StrictManifests.read(broken.resolve("misspelt-field.yaml")))
                .isInstanceOf(StrictManifests.InvalidManifest.class).hasMessageContaining("imagePullPolicyy");
        assertThatThrownBy(() -> StrictManifests.read(broken.resolve("unknown-top-level-field.yaml")))
                .isInstanceOf(StrictManifests.InvalidManifest.class).hasMessageContaining("specc");
        assertThatThrownBy(() -> StrictManifests.read(broken.resolve("wrong-type.yaml")))
                .isInstanceOf(StrictManifests.InvalidManifest.class).hasMessageContaining("runAsNonRoot");
        assertThatThrownBy(() -> StrictManifests.read(broken.resolve("unknown-kind.yaml")))
                .isInstanceOf(StrictManifests.InvalidManifest.class).hasMessageContaining("apps/v1/Deploymnet");
        assertThatThrownBy(() -> StrictManifests.read(broken.resolve("duplicate-key.yaml")))
                .isInstanceOf(StrictManifests.InvalidManifest.class).hasMessageContaining("image");
    }
}
