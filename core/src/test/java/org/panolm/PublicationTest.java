package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.panolm.bindings.NativeLibraries;
import org.panolm.testsupport.Peers;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What is published and how a user adds it stay consistent: the BOM lists exactly the published modules
 * (every module of the reactor whose {@code maven.deploy.skip} is not true), at the parent's version, with
 * the parent's metadata; the native artifact's classifier is the platform the loader looks for; and the
 * README's Maven and Gradle snippets name what the BOM lists. The build itself fails a published module
 * that lacks metadata (the enforcer in the root pom.xml).
 */
class PublicationTest {
    private static final Path ROOT = Peers.root();

    @Test
    void theBomListsExactlyThePublishedModules() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        String classifier = text(child(parent, "properties"), "panolm.native.classifier");

        TreeMap<String, String> published = new TreeMap<>(); // artifactId -> classifier ("" for none)
        for (Element module : children(child(parent, "modules"), "module")) {
            Path dir = ROOT.resolve(module.getTextContent().strip());
            Element pom = pom(dir.resolve("pom.xml"));
            String artifactId = text(pom, "artifactId");
            Element properties = child(pom, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if (skipped || artifactId.equals("panolm-bom")) continue;
            // panolm-native has no main jar (packaging pom): users take its platform jar.
            published.put(artifactId, "pom".equals(text(pom, "packaging")) ? classifier : "");
        }
        assertTrue(published.keySet().containsAll(List.of("panolm-native", "panolm-bindings", "panolm-core",
                "panolm-cli")), published.toString());
        assertTrue(!published.containsKey("panolm-benchmarks"), "benchmarks are not published");

        TreeMap<String, String> listed = new TreeMap<>();
        for (Element dep : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals("org.panolm", text(dep, "groupId"));
            assertEquals("${project.version}", text(dep, "version"), text(dep, "artifactId"));
            String dependencyClassifier = text(dep, "classifier");
            listed.put(text(dep, "artifactId"), dependencyClassifier == null ? "" : dependencyClassifier);
        }
        assertEquals(published, listed, "bom/pom.xml must list every published module, and only those");
    }

    @Test
    void theBomHasTheParentsVersionAndMetadata() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        assertEquals(text(parent, "groupId"), text(bom, "groupId"));
        assertEquals(text(parent, "version"), text(bom, "version"));
        for (String element : List.of("url", "licenses", "developers", "scm", "inceptionYear")) {
            assertEquals(normalised(child(parent, element)), normalised(child(bom, element)), element);
        }
        assertTrue(text(bom, "name") != null && text(bom, "description") != null);
    }

    @Test
    void theNativeClassifierIsThePlatformTheLoaderLooksFor() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        assertEquals(NativeLibraries.platform(), text(child(parent, "properties"), "panolm.native.classifier"));
        assertEquals("static", text(child(parent, "properties"), "panolm.native.link"),
                "the published library is the static build");
    }

    @Test
    void theReadmeShowsHowMavenAndGradleUsersAddPanolm() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String version = text(pom(ROOT.resolve("pom.xml")), "version").replace("-SNAPSHOT", "");
        String classifier = NativeLibraries.platform();

        String maven = block(readme, "xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new org.xml.sax.InputSource(new java.io.StringReader("<project>" + maven + "</project>")));
        Element project = doc.getDocumentElement();
        Element bomImport = child(child(child(project, "dependencyManagement"), "dependencies"), "dependency");
        assertEquals("panolm-bom", text(bomImport, "artifactId"));
        assertEquals(version, text(bomImport, "version"));
        assertEquals("import", text(bomImport, "scope"));
        Map<String, String> deps = new TreeMap<>();
        for (Element dep : children(child(project, "dependencies"), "dependency")) {
            assertEquals(null, text(dep, "version"), "versions come from the BOM");
            deps.put(text(dep, "artifactId"), String.valueOf(text(dep, "classifier")));
        }
        assertEquals(Map.of("panolm-core", "null", "panolm-native", classifier), deps);

        String gradle = block(readme, "kotlin");
        assertTrue(gradle.contains("implementation(platform(\"org.panolm:panolm-bom:" + version + "\"))"), gradle);
        assertTrue(gradle.contains("implementation(\"org.panolm:panolm-core\")"), gradle);
        assertTrue(gradle.contains("runtimeOnly(\"org.panolm:panolm-native::" + classifier + "\")"), gradle);
    }

    /** The first fenced block of that language in the README's "Adding panolm to a project" section. */
    private static String block(String readme, String language) {
        String section = readme.substring(readme.indexOf("## Adding panolm to a project"));
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(m.find(), "README.md shows no " + language + " block under 'Adding panolm to a project'");
        return m.group(1);
    }

    private static Element pom(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) return null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) out.add(e);
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    /** An element's text without its layout (attributes, such as the parent's inheritance rules, aside). */
    private static String normalised(Element e) {
        assertTrue(e != null);
        return e.getTextContent().replaceAll("\\s+", " ").strip();
    }
}
