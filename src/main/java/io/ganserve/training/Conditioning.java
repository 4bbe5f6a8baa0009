package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.ganserve.gan.MutualInformationLoss;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.Variant;

/**
 * What the two networks are given besides noise and samples: nothing (plain, or PacGAN's packs),
 * the class (conditional GAN), or latent codes that D must recover (InfoGAN). The step asks it for
 * D's real input and for fakes, the same way in both of its updates.
 */
interface Conditioning {

    /** D's input for the real batch of sub-step {@code k} of generator step {@code step}. */
    NDArray real(BatchSource batches, NDManager scratch, long step, int k);

    /** G's fakes for the draw {@code k} of step {@code step} ({@code k = discriminatorSteps}: G's own update). */
    Fakes fakes(Block generator, BatchSource batches, NDManager scratch, long step, int k);

    /** D's verdict on real-versus-fake within its output. */
    default NDArray verdict(NDArray discriminatorOutput) {
        return discriminatorOutput;
    }

    /** A term both players add for these fakes (InfoGAN's λ·L_I), or null. */
    default MutualInformationLoss.Terms codeLoss(NDArray discriminatorOutput, Fakes fakes) {
        return null;
    }

    static Conditioning of(NetworkSpec spec, Variant variant) {
        if (spec.isConditional()) {
            return new ClassConditioning(spec);
        }
        if (variant.infoGan().enabled()) {
            return new InfoGanCodes(spec, variant.infoGan());
        }
        return new Unconditioned(spec.pack());
    }
}
