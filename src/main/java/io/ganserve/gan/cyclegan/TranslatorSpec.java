package io.ganserve.gan.cyclegan;

/**
 * The shape of a CycleGAN: both generators share it, both critics share theirs.
 *
 * @param channels image channels of both domains (3 for RGB)
 * @param side image side in pixels; 32 or 64 (two stride-2 levels must divide it)
 * @param generatorFilters feature maps of the generator's first layer; 2× and 4× after each down level
 * @param residualBlocks residual blocks at the lowest resolution
 * @param criticFilters feature maps of the PatchGAN critic's first layer
 */
public record TranslatorSpec(int channels, int side, int generatorFilters, int residualBlocks, int criticFilters) {

    public TranslatorSpec {
        if (channels < 1 || channels > 4) {
            throw new IllegalArgumentException("channels must be 1..4, was " + channels);
        }
        if (side != 32 && side != 64) {
            throw new IllegalArgumentException("a CycleGAN translates 32 or 64 px images, not " + side);
        }
        if (generatorFilters < 4 || criticFilters < 4 || residualBlocks < 0) {
            throw new IllegalArgumentException("filters must be at least 4 and residual blocks not negative");
        }
    }

    /** Floats in one image. */
    public int imageLength() {
        return channels * side * side;
    }
}
