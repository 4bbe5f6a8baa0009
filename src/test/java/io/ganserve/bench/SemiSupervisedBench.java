package io.ganserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.Dataset;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.training.SemiSupervisedTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The semi-supervised classifier on Fashion-MNIST (docs/inference.md): for each label count in
 * {@code semi.labels} (default 100 and 1000, an equal share per class drawn with seed 1), trains
 * Salimans et al.'s K-class discriminator with feature matching for {@code semi.steps} steps, and
 * the same network on the labelled images alone for the same steps, and prints both test accuracies
 * on the 10,000 test images. One intra-op thread. {@code ./mvnw -q test-compile exec:exec@semi}.
 */
public final class SemiSupervisedBench {

    private SemiSupervisedBench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        new io.ganserve.engine.EngineProperties(io.ganserve.engine.EngineProperties.DeviceChoice.AUTO,
                Integer.getInteger("bench.threads", 1)).applyToEngine();
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        int steps = Integer.getInteger("semi.steps", 3000);
        int width = Integer.getInteger("semi.width", 32);
        int every = Integer.getInteger("semi.every", 500);
        float rate = Float.parseFloat(System.getProperty("semi.rate", "0.0003"));
        List<Integer> counts = java.util.Arrays.stream(System.getProperty("semi.labels", "100,1000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        boolean baseline = Boolean.parseBoolean(System.getProperty("semi.baseline", "true"));
        Path scratch = Files.createTempDirectory("semi-bench");
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(scratch.resolve("no-mnist"),
                Path.of("/usr/share/datasets/fashion-mnist"), scratch, 1000));
        Dataset train = catalog.load("fashion-mnist", 0, 28);
        Dataset test = catalog.loadTestSplit("fashion-mnist", 28);
        NetworkSpec generator = NetworkSpec.dcgan(100, List.of(1, 28, 28), width);
        System.out.printf("load average %s; %d steps, batch 64, lr %.4f, D width %d, G featureMaps %d%n",
                Files.readString(Path.of("/proc/loadavg")).trim(), steps, rate, width, width);
        for (int labels : counts) {
            for (boolean supervisedOnly : baseline ? new boolean[] {true, false} : new boolean[] {false}) {
                SemiSupervisedTrainer.Settings settings = new SemiSupervisedTrainer.Settings(labels, steps, 64, rate,
                        width, 1, supervisedOnly);
                long start = System.nanoTime();
                try (NDManager m = NDManager.newBaseManager();
                     SemiSupervisedTrainer trainer = new SemiSupervisedTrainer(train, generator, settings, m,
                             GradientCollectors.lock())) {
                    double best = 0;
                    for (long s = 0; s < steps; s++) {
                        float loss = trainer.step(s).discriminatorLoss();
                        if ((s + 1) % every == 0) {
                            double accuracy = trainer.accuracy(test);
                            best = Math.max(best, accuracy);
                            System.out.printf("  %5d labels, %-16s step %5d: loss %.4f, test accuracy %.4f, %.0f s%n",
                                    labels, supervisedOnly ? "labels alone" : "semi-supervised", s + 1, loss, accuracy,
                                    (System.nanoTime() - start) / 1e9);
                        }
                    }
                    System.out.printf("%5d labels, %-16s: test accuracy %.4f at the last step (%d steps, %.0f s)%n",
                            labels, supervisedOnly ? "labels alone" : "semi-supervised", trainer.accuracy(test), steps,
                            (System.nanoTime() - start) / 1e9);
                }
            }
        }
    }
}
