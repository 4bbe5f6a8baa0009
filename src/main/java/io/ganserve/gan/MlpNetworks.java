package io.ganserve.gan;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import io.ganserve.engine.precision.Linear;

/**
 * The GAN paper's fully connected networks. The discriminator uses LeakyReLU(0.2) rather than the
 * paper's maxout with dropout: the same capacity class, and deterministic, so seeded runs repeat.
 */
final class MlpNetworks {

    private MlpNetworks() {}

    static Block generator(NetworkSpec spec) {
        SequentialBlock g = new SequentialBlock();
        for (int i = 0; i < spec.hiddenLayers(); i++) {
            g.add(Linear.of(Linear.builder().setUnits(spec.hiddenUnits()))); // hidden
            g.add(Activation.reluBlock());
        }
        g.add(Linear.of(Linear.builder().setUnits(spec.sampleLength()))); // prod(sampleShape)
        if (spec.isImage()) {
            g.add(Activation.tanhBlock()); // pixels in [-1, 1]
            int c = spec.sampleShape().get(0);
            int h = spec.sampleShape().get(1);
            int w = spec.sampleShape().get(2);
            g.add(new LambdaBlock(x -> new NDList(x.head().reshape(-1, c, h, w)), "toImage")); // C x H x W
        }
        return g;
    }

    static Block discriminator(NetworkSpec spec) {
        SequentialBlock d = new SequentialBlock();
        if (spec.isImage()) {
            d.add(Blocks.batchFlattenBlock()); // pack·C·H·W
        }
        for (int i = 0; i < spec.hiddenLayers(); i++) {
            d.add(GanModelZoo.dense(spec, spec.hiddenUnits(), true)); // hidden
            d.add(Activation.leakyReluBlock(0.2f));
        }
        d.add(GanModelZoo.dense(spec, spec.discriminatorOutputs(), true)); // 1 logit (+ InfoGAN's Q head on the same features)
        return d;
    }
}
