package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.loader.tools.Layer;
import org.springframework.boot.loader.tools.LayersIndex;
import org.springframework.boot.loader.tools.Library;
import org.springframework.boot.loader.tools.LibraryCoordinates;
import org.springframework.boot.loader.tools.LibraryScope;
import org.springframework.boot.loader.tools.layer.CustomLayers;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * The image's layering without Docker. {@code ./mvnw verify} runs the tests before {@code package}
 * writes the jar (and its BOOT-INF/layers.idx), so the jar in target/ may be missing or stale here;
 * instead this reads the layers configuration the pom names with the Spring Boot Maven plugin's own
 * reader and assigns this build's dependencies to layers with loader-tools, as {@code repackage}
 * does. Where a packaged jar newer than that configuration exists, its index is checked too.
 */
class ImageLayersTest {

    static final Path LAYERS_XML = Repo.path("src/main/layers/layers.xml");

    @Test
    void pomLayersTheJarWithTheCommittedConfiguration() throws Exception {
        Document pom = parse(Repo.path("pom.xml"), false);
        var xpath = XPathFactory.newInstance().newXPath();
        Node plugin = (Node) xpath.evaluate(
                "/project/build/plugins/plugin[artifactId='spring-boot-maven-plugin']", pom, XPathConstants.NODE);
        assertThat(plugin).as("spring-boot-maven-plugin in the pom's build").isNotNull();
        String configuration = xpath.evaluate("configuration/layers/configuration", plugin).strip();
        String enabled = xpath.evaluate("configuration/layers/enabled", plugin).strip();
        assertThat(configuration.replace("${project.basedir}", Repo.ROOT.toString()))
                .isEqualTo(LAYERS_XML.toString());
        assertThat(enabled).as("layers not switched off").isNotEqualTo("false");
    }

    @Test
    void nativesHaveTheirOwnLayerBeforeDependenciesAndApplication() throws Exception {
        CustomLayers layers = customLayers();
        List<String> order = layers.stream().map(Layer::toString).toList();
        assertThat(order).containsExactly(
                "natives", "dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

        List<Library> libraries = runtimeLibraries();
        List<Library> natives = libraries.stream()
                .filter(library -> library.getCoordinates().getArtifactId().startsWith("pytorch-native-"))
                .toList();
        assertThat(natives).as("the libtorch natives jar on this build's class path").isNotEmpty();
        for (Library library : natives) {
            assertThat(layers.getLayer(library)).as(library.getName()).hasToString("natives");
        }
        // DJL's other jars change with the same release but are small: they stay with the dependencies
        for (Class<?> type : List.of(Engine.class, ai.djl.pytorch.engine.PtEngine.class, org.springframework.core.SpringVersion.class)) {
            Library library = library(jarOf(type)).orElseThrow();
            assertThat(layers.getLayer(library)).as(library.getName()).hasToString("dependencies");
        }
        Library snapshot = new Library("some-lib-1.0-SNAPSHOT.jar", new File("some-lib-1.0-SNAPSHOT.jar"), LibraryScope.RUNTIME,
                LibraryCoordinates.of("com.example", "some-lib", "1.0-SNAPSHOT"), false, false, true);
        assertThat(layers.getLayer(snapshot)).hasToString("snapshot-dependencies");

        assertThat(layers.getLayer("BOOT-INF/classes/io/ganserve/GanServeApplication.class")).hasToString("application");
        assertThat(layers.getLayer("BOOT-INF/classes/static/index.html")).hasToString("application");
        assertThat(layers.getLayer("org/springframework/boot/loader/launch/JarLauncher.class"))
                .hasToString("spring-boot-loader");

        // the index as repackage writes it: the natives section names exactly the natives jars
        LayersIndex index = new LayersIndex(layers);
        for (Library library : libraries) {
            index.add(layers.getLayer(library), "BOOT-INF/lib/" + library.getName());
        }
        index.add(layers.getLayer("BOOT-INF/classes/io/ganserve/GanServeApplication.class"),
                "BOOT-INF/classes/io/ganserve/GanServeApplication.class");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        index.writeTo(written);
        String text = written.toString(StandardCharsets.UTF_8);
        StringBuilder expected = new StringBuilder("- \"natives\":\n");
        natives.forEach(library -> expected.append("  - \"BOOT-INF/lib/").append(library.getName()).append("\"\n"));
        assertThat(text).startsWith(expected.toString());
        assertThat(text.indexOf("- \"natives\":")).isLessThan(text.indexOf("- \"application\":"));
    }

    @Test
    void packagedJarIndexAgreesWhereOneIsUpToDate() throws Exception {
        Optional<Path> jar = packagedJar();
        if (jar.isEmpty()) {
            return; // nothing packaged since the configuration last changed: the tests above are the check
        }
        String index;
        try (ZipFile zip = new ZipFile(jar.get().toFile());
                InputStream in = zip.getInputStream(zip.getEntry("BOOT-INF/layers.idx"))) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> layersInJar = new ArrayList<>();
        Matcher heading = Pattern.compile("(?m)^- \"([^\"]+)\":$").matcher(index);
        while (heading.find()) {
            layersInJar.add(heading.group(1));
        }
        assertThat(layersInJar).as(index).containsSubsequence("natives", "dependencies", "application");
        assertThat(layersInJar.getLast()).isEqualTo("application");
        String nativesSection = index.substring(index.indexOf("- \"natives\":"), index.indexOf("- \"dependencies\":"));
        assertThat(nativesSection).contains("BOOT-INF/lib/pytorch-native-cpu-");
        assertThat(nativesSection.lines().skip(1)).allMatch(line -> line.contains("BOOT-INF/lib/pytorch-native-"));
    }

    @Test
    void dockerfileCopiesEveryLayerInTheConfiguredOrder() throws Exception {
        List<String> order = customLayers().stream().map(Layer::toString).toList();
        Matcher copy = Pattern.compile("(?m)^COPY --from=build /src/layers/([a-z-]+)/ /app/$")
                .matcher(Files.readString(Repo.path("Dockerfile")));
        List<String> copied = new ArrayList<>();
        while (copy.find()) {
            copied.add(copy.group(1));
        }
        assertThat(copied).isEqualTo(order);
    }

    /** As AbstractPackagerMojo.loadLayersConfiguration: its parser settings, then its CustomLayersProvider. */
    static CustomLayers customLayers() throws Exception {
        Class<?> provider = Class.forName("org.springframework.boot.maven.CustomLayersProvider");
        Constructor<?> constructor = provider.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method getLayers = provider.getDeclaredMethod("getLayers", Document.class);
        getLayers.setAccessible(true);
        return (CustomLayers) getLayers.invoke(constructor.newInstance(), parse(LAYERS_XML, true));
    }

    private static Document parse(Path file, boolean namespaceAware) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setNamespaceAware(namespaceAware);
        try (InputStream in = Files.newInputStream(file)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    /** This run's class path jars that come from the local Maven repository, with their coordinates. */
    private static List<Library> runtimeLibraries() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .map(ImageLayersTest::library)
                .flatMap(Optional::stream)
                .toList();
    }

    /** Coordinates from the repository layout, group/path/artifact/version/file, as Maven resolved it. */
    private static Optional<Library> library(Path jar) {
        Path repository = mavenRepository();
        if (!jar.startsWith(repository) || !jar.toString().endsWith(".jar")) {
            return Optional.empty();
        }
        Path relative = repository.relativize(jar);
        int n = relative.getNameCount();
        if (n < 4) {
            return Optional.empty();
        }
        String group = relative.subpath(0, n - 3).toString().replace(File.separatorChar, '.');
        String artifact = relative.getName(n - 3).toString();
        String version = relative.getName(n - 2).toString();
        String name = jar.getFileName().toString();
        return Optional.of(new Library(name, jar.toFile(), LibraryScope.RUNTIME,
                LibraryCoordinates.of(group, artifact, version), false, false, true));
    }

    /** DJL's api jar is ai/djl/api/VERSION/api-VERSION.jar under the repository's root. */
    private static Path mavenRepository() {
        Path api = jarOf(Engine.class);
        return api.getParent().getParent().getParent().getParent().getParent();
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> packagedJar() throws IOException {
        Path target = Repo.path("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        long configured = Math.max(Files.getLastModifiedTime(LAYERS_XML).toMillis(),
                Files.getLastModifiedTime(Repo.path("pom.xml")).toMillis());
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(path -> path.getFileName().toString().matches("ganserve-.*\\.jar"))
                    .filter(path -> !path.getFileName().toString().endsWith(".original"))
                    .filter(path -> {
                        try {
                            return Files.getLastModifiedTime(path).toMillis() > configured;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .findFirst();
        }
    }
}
