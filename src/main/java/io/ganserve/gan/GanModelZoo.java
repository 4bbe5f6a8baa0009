package io.ganserve.gan;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.ganserve.engine.precision.Linear;
import ai.djl.training.initializer.Initializer;

/** Builds and initialises the generator and discriminator a {@link NetworkSpec} describes. */
public final class GanModelZoo {

    private GanModelZoo() {}

    /** A generator with initialised parameters living in {@code manager}. */
    public static Block generator(NetworkSpec spec, NDManager manager) {
        Block g = build(spec);
        GanInitializers.apply(g);
        g.initialize(manager, DataType.FLOAT32, latentShape(spec, 1));
        return g;
    }

    /** A discriminator with initialised parameters living in {@code manager}; it outputs one logit. */
    public static Block discriminator(NetworkSpec spec, NDManager manager) {
        Block d = switch (spec.architecture()) {
            case MLP -> MlpNetworks.discriminator(spec);
            case DCGAN -> DcganNetworks.discriminator(spec);
            case CYCLEGAN, SEMI_SUPERVISED -> throw notHere();
        };
        GanInitializers.apply(d);
        d.initialize(manager, DataType.FLOAT32, shape(1, spec.discriminatorInputShape()));
        return d;
    }

    /**
     * A generator with the right parameter layout but zeroed values, to load saved parameters into.
     * Zero-filling draws nothing from libtorch's global RNG, so loading a model for serving never
     * shifts the random stream of a seeded training run in the same process.
     */
    public static Block emptyGenerator(NetworkSpec spec, NDManager manager) {
        Block g = build(spec);
        g.setInitializer(Initializer.ZEROS, p -> true);
        g.initialize(manager, DataType.FLOAT32, latentShape(spec, 1));
        return g;
    }

    /** A fully connected layer, spectrally normalised when the spec asks for it (discriminators). */
    static Block dense(NetworkSpec spec, long units, boolean bias) {
        return spec.spectralNorm()
                ? new SpectralLinear(units, bias)
                : Linear.of(Linear.builder().setUnits(units).optBias(bias));
    }

    private static Block build(NetworkSpec spec) {
        return switch (spec.architecture()) {
            case MLP -> MlpNetworks.generator(spec);
            case DCGAN -> DcganNetworks.generator(spec);
            case CYCLEGAN, SEMI_SUPERVISED -> throw notHere();
        };
    }

    /**
     * A translator has no noise input: its networks are {@code gan.cyclegan}'s; a semi-supervised
     * job's classifier is {@link SemiSupervisedNetwork}, its generator a DCGAN one.
     */
    private static IllegalArgumentException notHere() {
        return new IllegalArgumentException("a CycleGAN's networks are built by CycleGanNetworks and a semi-supervised "
                + "classifier by SemiSupervisedNetwork, not from a NetworkSpec");
    }

    /** G's input for {@code batch} examples: noise, and for a conditional GAN the one-hot label after it. */
    public static Shape latentShape(NetworkSpec spec, long batch) {
        return new Shape(batch, spec.generatorInputDim());
    }

    public static Shape sampleShape(NetworkSpec spec, long batch) {
        return shape(batch, spec.sampleShape());
    }

    private static Shape shape(long batch, java.util.List<Integer> sample) {
        long[] dims = new long[sample.size() + 1];
        dims[0] = batch;
        for (int i = 0; i < sample.size(); i++) {
            dims[i + 1] = sample.get(i);
        }
        return new Shape(dims);
    }
}
