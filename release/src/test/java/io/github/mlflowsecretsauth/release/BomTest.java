package io.github.mlflowsecretsauth.release;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOM (bom/pom.xml) lists exactly the reactor's published modules (every module of the root POM that is not
 * marked {@code maven.deploy.skip}, except the BOM itself), each at the BOM's own version, which is the reactor's;
 * and it has no parent, so importing it brings none of the parent's dependency pins.
 */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String GROUP = "io.github.mlflowsecretsauth";

    @Test
    void bom_listsExactlyThePublishedModules_atTheReactorVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        Document bom = read(ROOT.resolve("bom/pom.xml"));
        String bomArtifact = text(bom.getDocumentElement(), "artifactId").orElseThrow();

        TreeSet<String> published = new TreeSet<>();
        List<String> modules = texts(child(parent.getDocumentElement(), "modules").orElseThrow(), "module");
        assertThat(modules).as("the root POM builds the BOM").contains("bom");
        for (String module : modules) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            String artifactId = text(pom, "artifactId").orElseThrow();
            boolean skipped = child(pom, "properties").flatMap(p -> text(p, "maven.deploy.skip")).map(Boolean::parseBoolean).orElse(false);
            if (!skipped && !artifactId.equals(bomArtifact)) {
                published.add(artifactId);
            }
        }

        List<Element> managed = elements(child(child(bom.getDocumentElement(), "dependencyManagement").orElseThrow(),
                "dependencies").orElseThrow(), "dependency");
        TreeSet<String> listed = new TreeSet<>();
        for (Element dependency : managed) {
            assertThat(text(dependency, "groupId")).contains(GROUP);
            assertThat(text(dependency, "version")).as("the version of %s", text(dependency, "artifactId"))
                    .contains("${project.version}");
            assertThat(text(dependency, "scope")).as("a BOM sets versions only").isEmpty();
            listed.add(text(dependency, "artifactId").orElseThrow());
        }
        assertThat(listed).as("the BOM lists each module once").hasSize(managed.size());
        assertThat(published).as("the published modules, so the test cannot pass on an empty reactor")
                .contains("mlflow-secrets-auth-core", "mlflow-secrets-auth-cli", "mlflow-secrets-auth-tracking-memory")
                .doesNotContain("mlflow-secrets-auth-bench", "mlflow-secrets-auth-reliability", "mlflow-secrets-auth-release");
        assertThat(listed).isEqualTo(published);

        assertThat(child(bom.getDocumentElement(), "parent")).as("the BOM has no parent").isEmpty();
        assertThat(text(bom.getDocumentElement(), "packaging")).contains("pom");
        assertThat(text(bom.getDocumentElement(), "groupId")).contains(GROUP);
        assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(text(parent.getDocumentElement(), "version"));
    }

    private static Document read(Path pom) throws Exception {
        assertThat(pom).exists();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (var in = Files.newInputStream(pom)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> elements(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static Optional<Element> child(Element parent, String name) {
        return elements(parent, name).stream().findFirst();
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().strip());
    }

    private static List<String> texts(Element parent, String name) {
        return elements(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }
}
