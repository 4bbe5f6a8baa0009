package io.ganserve.gan;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import io.ganserve.engine.precision.Conv2d;
import io.ganserve.engine.precision.Linear;
import ai.djl.nn.norm.BatchNorm;

/**
 * Radford et al.'s DCGAN: the generator projects z and doubles the resolution with stride-2
 * transposed convolutions (batch norm, ReLU, tanh out); the discriminator mirrors it with stride-2
 * convolutions (no batch norm on its input layer, LeakyReLU 0.2). No pooling, no hidden dense layers.
 *
 * <p>Shapes below are for 28 x 28 (7 → 14 → 28); 32 and 64 start from 4 x 4 and add one doubling
 * per factor of two, widening by 2× per level as in the paper.
 */
final class DcganNetworks {

    private static final int KERNEL = 4;
    private static final int STRIDE = 2;
    private static final int PADDING = 1;

    private DcganNetworks() {}

    static Block generator(NetworkSpec spec) {
        Geometry geo = Geometry.of(spec);
        int top = spec.featureMaps() << (geo.doublings() - 1);
        int s = geo.baseSize();
        SequentialBlock g = new SequentialBlock();
        g.add(Linear.of(Linear.builder().setUnits((long) top * s * s).optBias(false))); // 128·7·7
        g.add(new LambdaBlock(x -> new NDList(x.head().reshape(-1, top, s, s)), "project")); // 128 x 7 x 7
        g.add(BatchNorm.builder().build());
        g.add(Activation.reluBlock());
        int width = top;
        for (int level = 1; level < geo.doublings(); level++) {
            width /= 2;
            g.add(new TransposedConv2d(width, KERNEL, STRIDE, PADDING, false)); // 64 x 14 x 14
            g.add(BatchNorm.builder().build());
            g.add(Activation.reluBlock());
        }
        g.add(new TransposedConv2d(geo.channels(), KERNEL, STRIDE, PADDING, true)); // C x 28 x 28
        g.add(Activation.tanhBlock()); // pixels in [-1, 1]
        return g;
    }

    static Block discriminator(NetworkSpec spec) {
        Geometry geo = Geometry.of(spec);
        SequentialBlock d = new SequentialBlock();
        int width = spec.featureMaps();
        boolean normalise = !spec.spectralNorm(); // spectral norm replaces batch norm, as in SN-GAN
        // 64 x 14 x 14 from pack·C x 28 x 28 (no batch norm on the input layer); a conditional D's
        // features see the image alone, and the class enters by projection
        d.add(conv(spec, width, true));
        d.add(Activation.leakyReluBlock(0.2f));
        for (int level = 1; level < geo.doublings(); level++) {
            width *= 2;
            d.add(conv(spec, width, !normalise)); // 128 x 7 x 7
            if (normalise) {
                d.add(BatchNorm.builder().build());
            }
            d.add(Activation.leakyReluBlock(0.2f));
        }
        d.add(Blocks.batchFlattenBlock()); // 128·7·7
        if (spec.isConditional()) {
            int features = (int) ((long) width * geo.baseSize() * geo.baseSize());
            return new ProjectionDiscriminator(geo.channels(), spec.numClasses(), d, GanModelZoo.dense(spec, 1, true), // 1
                    GanModelZoo.dense(spec, features, false)); // K -> 128·7·7, the class's direction in feature space
        }
        int outputs = spec.discriminatorOutputs(); // 1 logit (+ InfoGAN's Q head on the same features)
        d.add(GanModelZoo.dense(spec, outputs, true));
        return d;
    }

    private static Block conv(NetworkSpec spec, int filters, boolean bias) {
        if (spec.spectralNorm()) {
            return new SpectralConv2d(filters, KERNEL, STRIDE, PADDING, bias);
        }
        return Conv2d.of(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(KERNEL, KERNEL))
                .optStride(new Shape(STRIDE, STRIDE))
                .optPadding(new Shape(PADDING, PADDING))
                .optBias(bias));
    }

    /** How many doublings take the base grid to the image size. */
    record Geometry(int channels, int baseSize, int doublings) {

        static Geometry of(NetworkSpec spec) {
            if (!spec.isImage()) {
                throw new IllegalArgumentException("DCGAN needs image data (C x H x W), got " + spec.sampleShape());
            }
            int c = spec.sampleShape().get(0);
            int h = spec.sampleShape().get(1);
            int w = spec.sampleShape().get(2);
            if (h != w) {
                throw new IllegalArgumentException("DCGAN needs square images, got " + h + " x " + w);
            }
            return switch (h) {
                case 28 -> new Geometry(c, 7, 2);
                case 32 -> new Geometry(c, 4, 3);
                case 64 -> new Geometry(c, 4, 4);
                default -> throw new IllegalArgumentException("DCGAN image size must be 28, 32 or 64, got " + h);
            };
        }
    }
}
