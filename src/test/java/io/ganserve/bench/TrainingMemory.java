package io.ganserve.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DataKind;
import io.ganserve.data.GaussianMixture;
import io.ganserve.data.PointDataset;
import io.ganserve.engine.EngineProperties;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.metrics.EngineMetrics;
import io.ganserve.training.BatchSource;
import io.ganserve.training.GanTrainer;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.jobs.JobDefaults;
import io.ganserve.jobs.JobRequest;
import io.ganserve.registry.TrainingConfig;
import java.util.List;
import java.util.Locale;
import io.ganserve.engine.precision.Precision;
import tools.jackson.databind.json.JsonMapper;

/**
 * Native memory over a long run of training steps, one variant after another in this process:
 * resident size after the first step and every fifth of the run, and the arrays alive in the
 * trainer's manager at both ends. WGAN-GP is the one the issue asks for (its gradient of a gradient
 * leaks when done with DJL's create_graph backward); WGAN's clipping once leaked 8 MB a step.
 * {@code ./mvnw -q test-compile exec:exec@training-memory}, {@code -Dmemory.steps=5000},
 * {@code -Dmemory.variants=wgan-gp,wgan}, {@code -Dmemory.precision=bfloat16}.
 */
public final class TrainingMemory {

    private static final double MIB = 1024 * 1024;

    /** Row name to the job fields a user would POST for it on ring8. */
    private static final List<List<String>> VARIANTS = List.of(
            List.of("wgan-gp", "\"loss\":\"wgan-gp\""),
            List.of("wgan", "\"loss\":\"wgan\""),
            List.of("hinge+sn", "\"loss\":\"hinge\",\"spectralNorm\":true"),
            List.of("default", ""),
            List.of("ema", "\"emaDecay\":0.999"));

    private TrainingMemory() {}

    public static void main(String[] args) {
        new EngineProperties(EngineProperties.DeviceChoice.AUTO, Integer.getInteger("bench.threads", 0)).applyToEngine();
        Engine.getEngine("PyTorch");
        JniUtils.setGradMode(false);
        int steps = Integer.getInteger("memory.steps", 5000);
        List<String> only = List.of(System.getProperty("memory.variants", "wgan-gp").split(","));
        // bfloat16 puts every layer through the TorchScript module (engine.precision.MixedPrecision)
        Precision precision = Precision.valueOf(System.getProperty("memory.precision", "float32").toUpperCase(Locale.ROOT));
        JsonMapper json = JsonMapper.builder().build();
        GaussianMixture ring = GaussianMixture.ring8();
        for (List<String> variant : VARIANTS) {
            if (!only.contains(variant.get(0))) {
                continue;
            }
            String fields = variant.get(1);
            JobRequest request = json.readValue("{\"dataset\":\"ring8\",\"steps\":" + steps
                    + (fields.isEmpty() ? "" : "," + fields) + "}", JobRequest.class);
            TrainingConfig config = JobDefaults.resolve(request, DataKind.POINTS, 0, ring.modeCount())
                    .withPrecision(precision);
            PointDataset data = new PointDataset(ring, 100_000, config.seed());
            NetworkSpec spec = config.networkFor(data);
            try (NDManager manager = NDManager.newBaseManager();
                 GanTrainer trainer = new GanTrainer(config, spec, new BatchSource(data, config.batchSize(),
                         config.discriminatorSteps(), config.latentDim(), config.seed()), manager,
                         GradientCollectors.lock())) {
                trainer.step(0);
                double first = EngineMetrics.residentBytes() / MIB;
                int arraysFirst = manager.getManagedArrays().size();
                System.out.printf("%-9s %d steps (%d critic steps each, %s): RSS after step 1 %.1f MiB%n", variant.get(0),
                        steps, config.discriminatorSteps(), precision.wireName(), first);
                long start = System.nanoTime();
                int fifth = Math.max(1, steps / 5);
                double warm = Double.NaN;
                for (int s = 1; s < steps; s++) {
                    trainer.step(s);
                    if ((s + 1) % fifth == 0) {
                        double rss = EngineMetrics.residentBytes() / MIB;
                        warm = Double.isNaN(warm) ? rss : warm;
                        System.out.printf("%-9s step %6d  RSS %8.1f MiB  %6.1f s%n", variant.get(0), s + 1, rss,
                                (System.nanoTime() - start) / 1e9);
                    }
                }
                double last = EngineMetrics.residentBytes() / MIB;
                // libtorch's allocator and glibc's arenas grow over the first steps; a leak keeps growing after
                System.out.printf("%-9s RSS %.1f -> %.1f MiB (%+.1f MiB); after step %d %+.1f MiB (%+.3f MiB per 1,000 "
                        + "steps); arrays in the trainer's manager %d -> %d%n%n", variant.get(0), first, last,
                        last - first, fifth, last - warm, 1000 * (last - warm) / Math.max(1, steps - fifth),
                        arraysFirst, manager.getManagedArrays().size());
            }
        }
    }
}
