package io.ganserve.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, wherever the test runner started (Surefire: the module directory). */
final class Repo {

    static final Path ROOT = find();

    private Repo() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    private static Path find() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isRegularFile(p.resolve("Dockerfile"))) {
                return p;
            }
        }
        throw new IllegalStateException("no directory with pom.xml and Dockerfile at or above " + dir);
    }
}
