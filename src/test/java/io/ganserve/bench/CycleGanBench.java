package io.ganserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.data.EmojiImages;
import io.ganserve.engine.GradModeOff;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.translation.PairedImages;
import io.ganserve.evaluation.translation.TranslationEvaluator;
import io.ganserve.evaluation.translation.TranslationJudges;
import io.ganserve.gan.MultiplyAdds;
import io.ganserve.gan.cyclegan.CycleGanNetworks;
import io.ganserve.gan.cyclegan.Translation;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.registry.TranslationQuality;
import io.ganserve.sampling.render.ImageBatch;
import io.ganserve.sampling.render.ImageGrid;
import io.ganserve.sampling.render.PngEncoder;
import io.ganserve.training.cyclegan.CycleGanSettings;
import io.ganserve.training.cyclegan.CycleGanTrainer;
import io.ganserve.training.cyclegan.CycleStepResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CycleGAN emoji-google ↔ emoji-twitter, trained through the same trainer a job uses, scored on
 * the held-out pairs every {@code cyclegan.evalEvery} steps: L1 and PSNR to the true image beside
 * the identity baseline, reconstruction, FD and the vendor classifier's verdict, both directions;
 * the rate against the matmul ceiling; a grid of source | translation | reconstruction.
 *
 * <p>{@code ./mvnw -q test-compile exec:exec@cyclegan -Dcyclegan.steps=6000} (docs/translation.md).
 */
public final class CycleGanBench {

    public static void main(String[] args) throws Exception {
        int side = Integer.getInteger("cyclegan.side", 32);
        int steps = Integer.getInteger("cyclegan.steps", 6000);
        int every = Integer.getInteger("cyclegan.evalEvery", 1000);
        long seed = Long.getLong("cyclegan.seed", 1L);
        CycleGanSettings defaults = CycleGanSettings.defaults(side, seed);
        TranslatorSpec spec = new TranslatorSpec(3, side,
                Integer.getInteger("cyclegan.filters", defaults.spec().generatorFilters()),
                Integer.getInteger("cyclegan.blocks", defaults.spec().residualBlocks()),
                Integer.getInteger("cyclegan.criticFilters", defaults.spec().criticFilters()));
        CycleGanSettings settings = defaults.withSpec(spec).withSteps(steps);
        Path grid = Path.of(System.getProperty("cyclegan.grid", "target/cyclegan-grid.png"));
        // the generators as the job serves them, so that judges trained differently can score them again
        Path saved = grid.resolveSibling("cyclegan-generators.bin");

        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(Path.of("/usr/share/datasets/mnist"),
                Path.of("/usr/share/datasets/fashion-mnist"), Path.of("./data/datasets"), 1000));
        EmojiImages.Named trainA = catalog.loadEmoji("emoji-google", side, false);
        EmojiImages.Named trainB = catalog.loadEmoji("emoji-twitter", side, false);
        EmojiImages.Named heldA = catalog.loadEmoji("emoji-google", side, true);
        EmojiImages.Named heldB = catalog.loadEmoji("emoji-twitter", side, true);
        PairedImages pairs = PairedImages.of(heldA, heldB);
        System.out.printf("CycleGAN emoji-google <-> emoji-twitter at %d px: %d + %d training images, %d held-out pairs;"
                        + " %s, batch %d, %d steps, seed %d; threads %s; load %s%n", side, trainA.images().size(),
                trainB.images().size(), pairs.size(), spec, settings.batchSize(), steps, seed,
                System.getProperty("ai.djl.pytorch.num_threads", "default"), SoakReport.loadAverage());

        double gflops = Bench.matmulRate();
        try (NDManager root = NDManager.newBaseManager(); GradModeOff off = new GradModeOff()) {
            long generatorMacs;
            long criticMacs;
            try (NDManager probe = root.newSubManager()) {
                generatorMacs = MultiplyAdds.forward(CycleGanNetworks.emptyGenerator(spec, probe),
                        CycleGanNetworks.imageShape(spec, 1));
                criticMacs = MultiplyAdds.forward(CycleGanNetworks.critic(spec, probe),
                        CycleGanNetworks.imageShape(spec, 1));
            }
            // per pair of images: six generator passes with backward (3x), two critic passes in G's step
            // with backward to the input (2x), four critic passes with backward (3x) in the critics' step
            long stepMacs = (18 * generatorMacs + 16 * criticMacs) * settings.batchSize();
            System.out.printf("ceiling %.1f GFLOP/s; generator %.1f M and critic %.1f M multiply-adds per image;"
                    + " %.2f G multiply-adds per step%n", gflops, generatorMacs / 1e6, criticMacs / 1e6, stepMacs / 1e9);

            long judgesStart = System.nanoTime();
            try (TranslationJudges judges = TranslationJudges.train(trainA.images(), trainB.images(), heldA.images(),
                    heldB.images(), ClassifierSettings.DEFAULTS.withEpochs(Integer.getInteger("cyclegan.judgeEpochs", 5)),
                    root, GradientCollectors.lock());
                 CycleGanTrainer trainer = new CycleGanTrainer(settings, trainA.images(), trainB.images(), root,
                         GradientCollectors.lock())) {
                System.out.printf("judges trained in %.0f s: vendor classifier %.1f%% on real held-out images,"
                                + " category network %.1f%%%n", (System.nanoTime() - judgesStart) / 1e9,
                        100 * judges.vendorAccuracy(), 100 * judges.categoryAccuracy());
                String load = System.getProperty("cyclegan.load", "");
                if (Boolean.getBoolean("cyclegan.judgesOnly")) {
                    return;
                }
                if (!load.isEmpty()) { // score generators saved by an earlier run, with these judges
                    try (NDManager own = root.newSubManager();
                         var in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                                 Files.newInputStream(Path.of(load))))) {
                        var g = CycleGanNetworks.emptyGenerator(spec, own);
                        var f = CycleGanNetworks.emptyGenerator(spec, own);
                        io.ganserve.engine.NativeArrays.loadParameters(g, own, in);
                        io.ganserve.engine.NativeArrays.loadParameters(f, own, in);
                        report(steps, 0, TranslationEvaluator.evaluate(g, f, spec, pairs, judges, root));
                        writeGrid(grid, g, f, spec, pairs, root);
                    }
                    return;
                }
                report(0, 0, TranslationEvaluator.evaluate(trainer.forwardGenerator(), trainer.backwardGenerator(),
                        spec, pairs, judges, root));
                long start = System.nanoTime();
                double trainSeconds = 0;
                for (int step = 0; step < steps; step++) {
                    long t = System.nanoTime();
                    CycleStepResult r = trainer.step(step);
                    trainSeconds += (System.nanoTime() - t) / 1e9;
                    if (!r.isFinite()) {
                        throw new IllegalStateException("non-finite losses at step " + step + ": " + r);
                    }
                    int done = step + 1;
                    if (done % 100 == 0) {
                        double rate = done / trainSeconds;
                        System.out.printf("step %d: G %.3f (adv %.3f cycle %.3f id %.3f) D_A %.3f D_B %.3f; %.2f steps/s"
                                        + " = %.1f pairs/s, %.1f GFLOP/s = %.0f%% of ceiling; load %s%n", done,
                                r.generator(), r.adversarial(), r.cycle(), r.identity(), r.criticA(), r.criticB(),
                                rate, rate * settings.batchSize(), 2.0 * stepMacs * rate / 1e9,
                                100 * 2.0 * stepMacs * rate / 1e9 / gflops, SoakReport.loadAverage());
                    }
                    if (done % every == 0 || done == steps) {
                        save(trainer, saved);
                        report(done, (System.nanoTime() - start) / 1e9, TranslationEvaluator.evaluate(
                                trainer.forwardGenerator(), trainer.backwardGenerator(), spec, pairs, judges, root));
                    }
                }
                writeGrid(grid, trainer.forwardGenerator(), trainer.backwardGenerator(), spec, pairs, root);
            }
        }
    }

    private static void report(int step, double seconds, TranslationQuality r) {
        System.out.printf("== step %d (%.0f s): vendor classifier %.1f%%%n", step, seconds, 100 * r.vendorAccuracy());
        line("google->twitter", r.forward());
        line("twitter->google", r.backward());
    }

    private static void line(String direction, TranslationQuality.Direction s) {
        System.out.printf("   %s: L1 %.4f vs identity %.4f (ratio %.3f); PSNR %.2f vs %.2f dB; reconstruction L1 %.4f;"
                        + " FD %.2f vs %.2f; judged target %.1f%% vs %.1f%% (n=%d)%n", direction, s.l1(),
                s.identityL1(), s.l1Ratio(), s.psnr(), s.identityPsnr(), s.reconstructionL1(), s.fd(), s.identityFd(),
                100 * s.judgedTarget(), 100 * s.identityJudgedTarget(), s.pairs());
    }

    private static void save(CycleGanTrainer trainer, Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            trainer.saveGenerators(out);
        }
    }

    /** Rows of source | translation | reconstruction | truth, 8 held-out pairs each way. */
    private static void writeGrid(Path file, ai.djl.nn.Block g, ai.djl.nn.Block f, TranslatorSpec spec,
                                  PairedImages all, NDManager manager) throws Exception {
        PairedImages pairs = all.first(8);
        int n = pairs.size();
        int length = spec.imageLength();
        float[] pixels = new float[2 * n * 4 * length];
        int at = 0;
        for (int direction = 0; direction < 2; direction++) {
            float[] source = direction == 0 ? pairs.a() : pairs.b();
            float[] truth = direction == 0 ? pairs.b() : pairs.a();
            var there = direction == 0 ? g : f;
            var back = direction == 0 ? f : g;
            float[] translated = Translation.run(there, spec, manager, source, n);
            float[] reconstructed = Translation.run(back, spec, manager, translated, n);
            for (int i = 0; i < n; i++) {
                for (float[] column : new float[][] {source, translated, reconstructed, truth}) {
                    System.arraycopy(column, i * length, pixels, at, length);
                    at += length;
                }
            }
        }
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = Math.clamp((pixels[i] + 1f) / 2f, 0f, 1f); // the renderer takes [0, 1]
        }
        ImageBatch batch = new ImageBatch(2 * n * 4, spec.channels(), spec.side(), spec.side(), pixels);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, PngEncoder.encode(ImageGrid.grid(batch, 8, 2, 2)));
        System.out.println("grid: " + file.toAbsolutePath() + " (rows: source | translation | reconstruction | truth,"
                + " two pairs a row; top half google->twitter)");
    }
}
