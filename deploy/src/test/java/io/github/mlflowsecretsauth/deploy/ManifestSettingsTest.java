package io.github.mlflowsecretsauth.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings in the manifests are the project's own names, and each recipe wires them as it says. */
class ManifestSettingsTest {

    @Test
    void everyEnvironmentVariableInTheManifestsIsASettingTheProjectKnows() {
        Set<String> known = KnownSettings.all();
        for (Manifests.PodContainer pc : Manifests.containers(Manifests.all())) {
            for (EnvVar e : pc.container().getEnv()) {
                assertThat(known).as(pc.where() + ": " + e.getName() + " is not a setting the code knows").contains(e.getName());
            }
        }
    }

    @Test
    void theScanFindsTheSettingsTheRecipesUse() {
        assertThat(KnownSettings.inCode()).contains("MLFLOW_TRACKING_URI", "MLFLOW_SECRETS_AUTH_ENABLE", "VAULT_ADDR",
                "MLFLOW_VAULT_SECRET_PATH", "MLFLOW_SECRETS_ALLOWED_HOSTS", "MLFLOW_SECRETS_PROXY_CLIENT_TOKEN",
                "VAULT_AUTH_METHOD", "VAULT_AUTH_ROLE", "VAULT_KUBERNETES_TOKEN_PATH", "MLFLOW_KUBERNETES_TOKEN_PATH")
                .doesNotContain("VAULT_AUTH_METHODS");
    }

    @Test
    void sidecarJob_trainingSetsOnlyTheTrackingUri_proxyLogsInToVaultWithAProjectedToken() {
        List<HasMetadata> job = Manifests.read("sidecar-job/job.yaml");
        Manifests.PodContainer proxy = proxy(job);
        Manifests.PodContainer train = training(job);
        assertThat(train.container().getEnv()).extracting(EnvVar::getName).containsExactly("MLFLOW_TRACKING_URI");
        assertThat(Manifests.env(train.container(), "MLFLOW_TRACKING_URI")).isEqualTo("http://127.0.0.1:5001");
        assertThat(proxy.container().getArgs()).containsSubsequence("--listen", "127.0.0.1:5001").doesNotContain("--allow-remote");
        assertThat(Manifests.env(proxy.container(), "VAULT_AUTH_METHOD")).isEqualTo("kubernetes");
        assertThat(Manifests.env(proxy.container(), "VAULT_AUTH_ROLE")).isNotBlank();
        String tokenPath = Manifests.env(proxy.container(), "VAULT_KUBERNETES_TOKEN_PATH");
        assertThat(projectedToken(proxy, tokenPath).getAudience()).isEqualTo("vault");
        assertThat(proxy.pod().getAutomountServiceAccountToken()).as("only the projected token").isFalse();
    }

    @Test
    void sharedProxy_requiresTheClientTokenFromTheSecret_andAnswersForTheServicesNames() {
        List<HasMetadata> resources = Manifests.read("shared-proxy/proxy.yaml");
        Deployment deployment = Manifests.only(resources, Deployment.class);
        Service service = Manifests.only(resources, Service.class);
        Secret secret = Manifests.only(resources, Secret.class);
        Manifests.PodContainer proxy = proxy(resources);
        List<String> args = proxy.container().getArgs();
        assertThat(args).containsSubsequence("--listen", "0.0.0.0:5001").contains("--allow-remote");
        String tokenFile = args.get(args.indexOf("--client-token-file") + 1);
        VolumeMount mount = mountFor(proxy, tokenFile);
        Volume volume = volume(proxy.pod(), mount.getName());
        assertThat(volume.getSecret().getSecretName()).isEqualTo(secret.getMetadata().getName());
        assertThat(volume.getSecret().getItems()).singleElement().satisfies(i -> {
            assertThat(secret.getStringData()).containsKey(i.getKey());
            assertThat(mount.getMountPath() + "/" + i.getPath()).isEqualTo(tokenFile);
        });
        assertThat(tokenFile).as("the path the image's health check reads").isEqualTo("/run/secrets/mlflow-secrets-auth/client-token");
        // The placeholder is too short for the proxy (16 characters at least), so it cannot be used by mistake.
        assertThat(secret.getStringData().get("client-token")).hasSizeLessThan(16);

        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
        String targetPort = service.getSpec().getPorts().get(0).getTargetPort().getStrVal();
        assertThat(proxy.container().getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo(targetPort);
            assertThat(p.getContainerPort()).isEqualTo(5001);
        });
        String name = service.getMetadata().getName();
        String ns = service.getMetadata().getNamespace();
        assertThat(Manifests.env(proxy.container(), "MLFLOW_SECRETS_PROXY_HOST_NAMES").split(","))
                .contains(name, name + "." + ns, name + "." + ns + ".svc", name + "." + ns + ".svc.cluster.local");

        List<HasMetadata> client = Manifests.read("shared-proxy/client-job.yaml");
        Container train = training(client).container();
        assertThat(Manifests.env(train, "MLFLOW_TRACKING_URI")).isEqualTo("http://" + name + "." + ns + ".svc.cluster.local:5001");
        EnvVar token = train.getEnv().stream().filter(e -> e.getName().equals("MLFLOW_TRACKING_TOKEN")).findFirst().orElseThrow();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
    }

    @Test
    void kubernetesIdentity_sendsAProjectedTokenForMlflow_withTheNamespaceBesideIt() {
        List<HasMetadata> job = Manifests.read("kubernetes-identity/job.yaml");
        Manifests.PodContainer proxy = proxy(job);
        assertThat(Manifests.env(proxy.container(), "MLFLOW_SECRETS_AUTH_ENABLE")).isEqualTo("kubernetes");
        String tokenPath = Manifests.env(proxy.container(), "MLFLOW_KUBERNETES_TOKEN_PATH");
        assertThat(projectedToken(proxy, tokenPath).getAudience()).isEqualTo("mlflow");
        VolumeMount mount = mountFor(proxy, tokenPath);
        List<VolumeProjection> sources = volume(proxy.pod(), mount.getName()).getProjected().getSources();
        assertThat(sources).map(VolumeProjection::getDownwardAPI).filteredOn(Objects::nonNull)
                .anySatisfy(d -> assertThat(d.getItems()).anySatisfy(i -> {
            assertThat(i.getPath()).isEqualTo("namespace");
            assertThat(i.getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        }));
        assertThat(training(job).container().getEnv()).extracting(EnvVar::getName).containsExactly("MLFLOW_TRACKING_URI");
    }

    private static Manifests.PodContainer proxy(List<HasMetadata> resources) {
        return Manifests.containers(resources).stream().filter(pc -> Manifests.isProxy(pc.container())).findFirst().orElseThrow();
    }

    private static Manifests.PodContainer training(List<HasMetadata> resources) {
        return Manifests.containers(resources).stream().filter(pc -> pc.container().getName().equals("train")).findFirst().orElseThrow();
    }

    private static VolumeMount mountFor(Manifests.PodContainer pc, String file) {
        return pc.container().getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(pc.where() + ": no volume is mounted for " + file));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    /** The service-account token projection that {@code file} names, in the volume mounted for it. */
    private static ServiceAccountTokenProjection projectedToken(Manifests.PodContainer pc, String file) {
        VolumeMount mount = mountFor(pc, file);
        String relative = file.substring(mount.getMountPath().length() + 1);
        return volume(pc.pod(), mount.getName()).getProjected().getSources().stream()
                .map(VolumeProjection::getServiceAccountToken).filter(Objects::nonNull)
                .filter(t -> t.getPath().equals(relative)).findFirst()
                .orElseThrow(() -> new AssertionError(pc.where() + ": " + file + " is not a projected service-account token"));
    }
}
