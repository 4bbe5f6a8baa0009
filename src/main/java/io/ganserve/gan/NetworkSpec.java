package io.ganserve.gan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * Everything needed to rebuild a generator/discriminator pair with the same parameter layout, so a
 * checkpoint can be loaded into fresh blocks.
 *
 * @param sampleShape {@code [d]} for point data, {@code [C, H, W]} for images
 * @param hiddenUnits width of each MLP hidden layer
 * @param hiddenLayers number of MLP hidden layers
 * @param featureMaps DCGAN's base width (ngf/ndf): the widest layer has featureMaps·2^(depth−1)
 * @param pack samples the discriminator judges at once (PacGAN); 1 for one
 * @param spectralNorm spectrally normalised discriminator weights (and no batch norm in it)
 * @param numClasses classes of a conditional GAN (Mirza &amp; Osindero), whose G and D also take a
 *     one-hot label; 0 for an unconditional one, which is also what a model saved before this field
 *     existed reads back as
 * @param codes InfoGAN's latent codes, which G reads after the noise and D's Q head predicts back;
 *     {@link LatentCodes#NONE} for other GANs (and for models saved before this field existed)
 */
public record NetworkSpec(
        Architecture architecture,
        int latentDim,
        List<Integer> sampleShape,
        int hiddenUnits,
        int hiddenLayers,
        int featureMaps,
        int pack,
        boolean spectralNorm,
        int numClasses,
        LatentCodes codes) {

    public NetworkSpec {
        sampleShape = List.copyOf(sampleShape);
        codes = codes == null ? LatentCodes.NONE : codes;
        pack = Math.max(1, pack);
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be 0 (unconditional) or positive, was " + numClasses);
        }
    }

    /** A plain GAN's MLPs: {@code hiddenLayers} of {@code hiddenUnits} each; no packing, classes or codes. */
    public static NetworkSpec mlp(int latentDim, List<Integer> sampleShape, int hiddenUnits, int hiddenLayers) {
        return new NetworkSpec(Architecture.MLP, latentDim, sampleShape, hiddenUnits, hiddenLayers, 0, 1, false, 0,
                LatentCodes.NONE);
    }

    /** A plain GAN's DCGAN pair of base width {@code featureMaps}. */
    public static NetworkSpec dcgan(int latentDim, List<Integer> sampleShape, int featureMaps) {
        return new NetworkSpec(Architecture.DCGAN, latentDim, sampleShape, 0, 0, featureMaps, 1, false, 0,
                LatentCodes.NONE);
    }

    public NetworkSpec withPack(int m) {
        return new NetworkSpec(architecture, latentDim, sampleShape, hiddenUnits, hiddenLayers, featureMaps, m,
                spectralNorm, numClasses, codes);
    }

    public NetworkSpec withSpectralNorm(boolean on) {
        return new NetworkSpec(architecture, latentDim, sampleShape, hiddenUnits, hiddenLayers, featureMaps, pack, on,
                numClasses, codes);
    }

    public NetworkSpec withClasses(int k) {
        return new NetworkSpec(architecture, latentDim, sampleShape, hiddenUnits, hiddenLayers, featureMaps, pack,
                spectralNorm, k, codes);
    }

    public NetworkSpec withCodes(LatentCodes c) {
        return new NetworkSpec(architecture, latentDim, sampleShape, hiddenUnits, hiddenLayers, featureMaps, pack,
                spectralNorm, numClasses, c);
    }

    @JsonIgnore
    public boolean isConditional() {
        return numClasses > 0;
    }

    /** G's input width: the noise, then the one-hot label when conditional, then InfoGAN's codes. */
    @JsonIgnore
    public int generatorInputDim() {
        return latentDim + numClasses + codes.width();
    }

    /** D's outputs per example: the logit, then (InfoGAN) the Q head's categorical logits and continuous means. */
    @JsonIgnore
    public int discriminatorOutputs() {
        return 1 + codes.width();
    }

    /**
     * What the discriminator sees per example: {@code pack} samples stacked on the first axis. A
     * conditional MLP sees the flattened sample followed by the one-hot label; a conditional DCGAN
     * sees the label as that many constant planes after the image's channels.
     */
    @JsonIgnore
    public List<Integer> discriminatorInputShape() {
        java.util.ArrayList<Integer> shape = new java.util.ArrayList<>(sampleShape);
        shape.set(0, shape.get(0) * pack);
        if (!isConditional()) {
            return shape;
        }
        if (architecture == Architecture.MLP) {
            return List.of(sampleLength() * pack + numClasses);
        }
        shape.set(0, shape.get(0) + numClasses);
        return shape;
    }

    @JsonIgnore
    public boolean isImage() {
        return sampleShape.size() == 3;
    }

    @JsonIgnore
    public int sampleLength() {
        return sampleShape.stream().reduce(1, (a, b) -> a * b);
    }
}
