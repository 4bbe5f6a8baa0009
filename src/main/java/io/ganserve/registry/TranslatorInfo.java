package io.ganserve.registry;

import io.ganserve.gan.cyclegan.TranslatorSpec;
import java.time.Instant;

/**
 * A CycleGAN job's trained pair of generators, as serving finds it: G translates {@code source}
 * images to {@code target}, F back. Kept apart from the GAN models, so the sampling side never
 * takes a translator for a generator of noise.
 */
public record TranslatorInfo(String jobId, String source, String target, TranslatorSpec spec, long step,
                             Instant createdAt) {}
