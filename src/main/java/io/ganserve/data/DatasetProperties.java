package io.ganserve.data;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.datasets.*}: where datasets are found.
 *
 * @param mnistDir MNIST's IDX files (train-images-idx3-ubyte[.gz] and friends)
 * @param fashionMnistDir Fashion-MNIST's IDX files; Debian's dataset-fashion-mnist installs them here
 * @param imageFolderRoot every sub-folder is an image dataset named after it
 * @param pointCount points materialised for ring8 and grid25
 * @param emojiDir the emoji data sets, as {@code scripts/install-emoji.sh} lays them out
 */
@Validated
@ConfigurationProperties("ganserve.datasets")
public record DatasetProperties(
        @DefaultValue("/usr/share/datasets/mnist") Path mnistDir,
        @DefaultValue("/usr/share/datasets/fashion-mnist") Path fashionMnistDir,
        @DefaultValue("./data/datasets") Path imageFolderRoot,
        @DefaultValue("100000") @Min(1000) int pointCount,
        @DefaultValue("/usr/share/datasets/emoji") Path emojiDir) {

    public DatasetLocations locations() {
        return new DatasetLocations(mnistDir, fashionMnistDir, imageFolderRoot, pointCount, emojiDir);
    }
}
