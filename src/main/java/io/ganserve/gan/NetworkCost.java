package io.ganserve.gan;

/**
 * What a generator/discriminator pair costs in memory, worked out from its {@link NetworkSpec}
 * alone, before any weight is allocated: so a job can be priced, and refused, at submission.
 *
 * <p>Parameters are counted exactly as the networks declare them (batch-norm running statistics
 * and spectral-norm vectors included). Activations are the floats one sample leaves behind in a
 * forward pass: DJL keeps every intermediate array until its manager closes, so the peak of a pass
 * is their sum, not the largest layer. Views (reshapes, transposes, crops) are counted as if they
 * were copies, which keeps the figure an upper bound whatever libtorch decides to copy; a
 * transposed convolution leaves four arrays the size of its phase output beside its result (see
 * {@link TransposedConv2d}).
 *
 * @param generatorParameters G's parameter count
 * @param discriminatorParameters D's parameter count
 * @param generatorActivations floats one sample leaves in a forward pass of G
 * @param discriminatorActivations floats one D example (pack samples) leaves in a forward pass of D
 */
public record NetworkCost(long generatorParameters, long discriminatorParameters, long generatorActivations,
                          long discriminatorActivations) {

    private static final int KERNEL = 4;
    /**
     * Arrays the size of the weights that a pass leaves whatever its batch: a transposed
     * convolution rearranges its kernel into phase kernels through five of them.
     */
    public static final int PASS_COPIES = 3;

    public static NetworkCost of(NetworkSpec spec) {
        return switch (spec.architecture()) {
            case MLP -> mlp(spec);
            case DCGAN -> dcgan(spec);
            case CYCLEGAN -> throw new IllegalArgumentException("a CycleGAN is priced by TranslatorCost");
            case SEMI_SUPERVISED -> throw new IllegalArgumentException(
                    "a semi-supervised classifier is priced by SemiSupervisedNetwork.cost");
        };
    }

    public long parameters() {
        return generatorParameters + discriminatorParameters;
    }

    private static NetworkCost mlp(NetworkSpec spec) {
        long units = spec.hiddenUnits();
        int layers = spec.hiddenLayers();
        long out = spec.sampleLength();
        long gIn = spec.generatorInputDim();
        long gParams = dense(gIn, units, layers, out, false);
        long gActs = 2 * units * layers + out + (spec.isImage() ? 2 * out : 0); // linear + ReLU per layer; tanh, reshape
        long dIn = spec.discriminatorInputShape().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
        long outputs = spec.discriminatorOutputs();
        long dParams = dense(dIn, units, layers, outputs, spec.spectralNorm());
        long dActs = (spec.isImage() ? dIn : 0) + 2 * units * layers + outputs;
        return new NetworkCost(gParams, dParams, gActs, dActs);
    }

    /** Fully connected layers in → units (× layers) → out, with biases; spectral norm keeps a vector per layer. */
    private static long dense(long in, long units, int layers, long out, boolean spectral) {
        long params = 0;
        long width = in;
        for (int i = 0; i < layers; i++) {
            params += width * units + units + (spectral ? units : 0);
            width = units;
        }
        return params + width * out + out + (spectral ? out : 0);
    }

    private static NetworkCost dcgan(NetworkSpec spec) {
        DcganNetworks.Geometry geo = DcganNetworks.Geometry.of(spec);
        long c = geo.channels();
        long s = geo.baseSize();
        int doublings = geo.doublings();
        long fm = spec.featureMaps();

        // G: project to top x s x s, then transposed convolutions doubling the side
        long top = fm << (doublings - 1);
        long gParams = spec.generatorInputDim() * top * s * s + 4 * top; // linear (no bias), batch norm
        long gActs = 4 * top * s * s; // linear, reshape, batch norm, ReLU
        long width = top;
        long side = s;
        for (int level = 1; level <= doublings; level++) {
            boolean last = level == doublings;
            long outChannels = last ? c : width / 2;
            gParams += width * outChannels * KERNEL * KERNEL + (last ? outChannels : 4 * outChannels);
            long phases = 4 * outChannels * (side + 1) * (side + 1); // s² phases on the input grid, padded by one
            side *= 2;
            long result = outChannels * side * side;
            // phases, their 6-d reshape and transpose, the interleaved copy; the crop, then BN and ReLU (or bias and tanh)
            gActs += 4 * phases + 3 * result;
            width = outChannels;
        }

        // D: stride-2 convolutions halving the side, then one dense layer on the features
        boolean spectral = spec.spectralNorm();
        long in = c * spec.pack();
        long dParams = in * fm * KERNEL * KERNEL + fm + (spectral ? fm : 0);
        long dside = s << doublings;
        dside /= 2;
        long dActs = (spec.isConditional() ? 0 : 0) + 2 * fm * dside * dside; // conv, LeakyReLU
        long dwidth = fm;
        for (int level = 1; level < doublings; level++) {
            long next = dwidth * 2;
            dParams += dwidth * next * KERNEL * KERNEL + (spectral ? next + next : 4 * next);
            dside /= 2;
            dActs += (spectral ? 2 : 3) * next * dside * dside; // conv, (batch norm,) LeakyReLU
            dwidth = next;
        }
        long features = dwidth * s * s;
        dActs += features; // flatten
        if (spec.isConditional()) {
            long k = spec.numClasses();
            dParams += features + 1 + (spectral ? 1 : 0); // score head
            dParams += k * features + (spectral ? features : 0); // class embedding, no bias
            dActs += 3 * features + k + 4; // embedding, product, sum, one-hot
        } else {
            long outputs = spec.discriminatorOutputs();
            dParams += features * outputs + outputs + (spectral ? outputs : 0);
            dActs += outputs;
        }
        return new NetworkCost(gParams, dParams, gActs, dActs);
    }
}
