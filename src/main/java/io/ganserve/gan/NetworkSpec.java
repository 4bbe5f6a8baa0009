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
 */
public record NetworkSpec(
        Architecture architecture,
        int latentDim,
        List<Integer> sampleShape,
        int hiddenUnits,
        int hiddenLayers,
        int featureMaps,
        int pack,
        boolean spectralNorm) {

    public NetworkSpec {
        sampleShape = List.copyOf(sampleShape);
        pack = Math.max(1, pack);
    }

    /** A plain GAN's networks: no packing, no spectral normalisation. */
    public NetworkSpec(Architecture architecture, int latentDim, List<Integer> sampleShape, int hiddenUnits,
                       int hiddenLayers, int featureMaps) {
        this(architecture, latentDim, sampleShape, hiddenUnits, hiddenLayers, featureMaps, 1, false);
    }

    /** What the discriminator sees per example: {@code pack} samples stacked on the first axis. */
    @JsonIgnore
    public List<Integer> discriminatorInputShape() {
        java.util.ArrayList<Integer> shape = new java.util.ArrayList<>(sampleShape);
        shape.set(0, shape.get(0) * pack);
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
