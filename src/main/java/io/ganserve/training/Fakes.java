package io.ganserve.training;

import ai.djl.ndarray.NDArray;

/**
 * A batch of generated samples as the discriminator is shown them, with the codes they were made
 * from where the conditioning recovers them (InfoGAN), else null.
 */
record Fakes(NDArray input, NDArray codes) {}
