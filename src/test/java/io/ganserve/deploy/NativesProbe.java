package io.ganserve.deploy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ganserve.engine.BakedNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link BakedNativesTest}: starts the engine as the service's main does,
 * computes with it, and
 * prints the files of the native libraries the process has mapped ("mapped PATH") from
 * /proc/self/maps, which say where libtorch really came from.
 */
public final class NativesProbe {

    private NativesProbe() {
    }

    public static void main(String[] args) throws IOException {
        BakedNatives.configure(); // as GanServeApplication.main
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray sum = manager.create(new float[] {1, 2, 3}).sum();
            System.out.println("sum " + sum.getFloat());
        }
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.split("\\s+", 6))
                .filter(fields -> fields.length == 6 && (fields[5].endsWith(".so") || fields[5].contains(".so.")))
                .map(fields -> fields[5])
                .distinct()
                .forEach(file -> System.out.println("mapped " + file));
    }
}
