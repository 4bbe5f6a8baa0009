package io.ganserve.gan;

import java.util.Random;

/** Generator inputs drawn the way training draws them, for sampling a network outside a request. */
public final class LatentInputs {

    private LatentInputs() {}

    /**
     * {@code n} rows of G's input, row after row: z ~ N(0, I), then a uniformly drawn one-hot class
     * for a conditional GAN, then InfoGAN's codes (a uniform one-hot value, continuous codes from U(−1, 1)).
     */
    public static float[] draw(NetworkSpec spec, int n, Random rng) {
        int width = spec.generatorInputDim();
        int latent = spec.latentDim();
        LatentCodes codes = spec.codes();
        float[] input = new float[n * width];
        for (int i = 0; i < n; i++) {
            int row = i * width;
            for (int j = 0; j < latent; j++) {
                input[row + j] = (float) rng.nextGaussian();
            }
            int at = row + latent;
            if (spec.numClasses() > 0) {
                input[at + rng.nextInt(spec.numClasses())] = 1;
                at += spec.numClasses();
            }
            codes.drawInto(input, at, rng, null);
        }
        return input;
    }
}
