package io.github.mlflowsecretsauth.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The manifests under deploy/kubernetes, read strictly, and the pods and containers in them. */
final class Manifests {
    /** A container with the pod it runs in and where it was found. */
    record PodContainer(String where, PodSpec pod, Container container, boolean init) {
    }

    private Manifests() {
    }

    static List<Path> files() {
        try (Stream<Path> s = Files.walk(Repo.kubernetes())) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<HasMetadata> read(String relative) {
        try {
            return StrictManifests.read(Repo.kubernetes().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<HasMetadata> all() {
        List<HasMetadata> out = new ArrayList<>();
        for (Path f : files()) {
            out.addAll(read(Repo.kubernetes().relativize(f).toString()));
        }
        return out;
    }

    static PodTemplateSpec template(HasMetadata r) {
        if (r instanceof Job j) {
            return j.getSpec().getTemplate();
        }
        if (r instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        return null;
    }

    static List<PodContainer> containers(List<HasMetadata> resources) {
        List<PodContainer> out = new ArrayList<>();
        for (HasMetadata r : resources) {
            PodTemplateSpec t = template(r);
            if (t == null) {
                continue;
            }
            String where = r.getKind() + " " + r.getMetadata().getName();
            PodSpec pod = t.getSpec();
            pod.getInitContainers().forEach(c -> out.add(new PodContainer(where + "/" + c.getName(), pod, c, true)));
            pod.getContainers().forEach(c -> out.add(new PodContainer(where + "/" + c.getName(), pod, c, false)));
        }
        return out;
    }

    static boolean isProxy(Container c) {
        return c.getImage().contains("/mlflow-secrets-auth:");
    }

    static <T extends HasMetadata> T only(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst().orElse(null);
    }
}
