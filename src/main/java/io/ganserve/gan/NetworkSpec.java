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
 */
public record NetworkSpec(
        Architecture architecture,
        int latentDim,
        List<Integer> sampleShape,
        int hiddenUnits,
        int hiddenLayers,
        int featureMaps) {

    public NetworkSpec {
        sampleShape = List.copyOf(sampleShape);
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
