package io.ganserve.engine;

import ai.djl.util.Utils;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The natives an image unpacks once at build time ({@link ExtractNatives}) so that no start writes
 * them: libtorch, which DJL finds in its cache by itself, and JNA's dispatch library. DJL loads JNA
 * to look for CUDA before it loads libtorch, and JNA unpacks its library at every start into
 * ~/.cache/JNA or, where the home directory cannot be written (the image's user), java.io.tmpdir;
 * pointed at a copy in DJL's cache it loads that instead.
 */
public final class BakedNatives {

    private static final String JNA_DIR = "jna";

    private BakedNatives() {
    }

    /** Before anything touches DJL: offline natives, and JNA's library from the cache where it was baked. */
    public static void configure() {
        // DJL must never reach for the network: its natives come from the jars on the class path.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (System.getProperty("jna.boot.library.path") == null) {
            Path dir = jnaDir();
            if (Files.isRegularFile(dir.resolve(jnaLibrary()))) {
                System.setProperty("jna.boot.library.path", dir.toString());
            }
        }
    }

    /** Copies JNA's library for this platform out of its jar into DJL's cache; returns the copy. */
    static Path bakeJna() throws IOException {
        String resource = "/com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + jnaLibrary();
        Path target = jnaDir().resolve(jnaLibrary());
        try (InputStream in = Platform.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " in JNA's jar");
            }
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), jnaLibrary(), ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }

    private static Path jnaDir() {
        return Utils.getEngineCacheDir().resolve(JNA_DIR);
    }

    private static String jnaLibrary() {
        return System.mapLibraryName("jnidispatch");
    }
}
