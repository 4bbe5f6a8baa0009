package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.MutualInformationLoss;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.InfoGan;

/**
 * InfoGAN: G reads latent codes after the noise, and a Q head sharing D's last layer must recover
 * them from the fakes; both players add λ·L_I, as the original does. D's output is the verdict in
 * column 0, then the Q head.
 */
final class InfoGanCodes implements Conditioning {

    private final LatentCodes codes;
    private final MutualInformationLoss information;

    InfoGanCodes(NetworkSpec spec, InfoGan info) {
        this.codes = spec.codes();
        this.information = new MutualInformationLoss(info.codes(), info.lambda(), info.continuousLambda());
    }

    @Override
    public NDArray real(BatchSource batches, NDManager scratch, long step, int k) {
        return batches.realBatch(scratch, step, k);
    }

    @Override
    public Fakes fakes(Block generator, BatchSource batches, NDManager scratch, long step, int k) {
        NDArray z = batches.noise(scratch, step, k);
        NDArray c = batches.codes(scratch, step, k, codes);
        return new Fakes(GanTrainer.forward(generator, z.concat(c, 1), scratch), c); // N x (latentDim + K + C) in
    }

    @Override
    public NDArray verdict(NDArray discriminatorOutput) {
        return discriminatorOutput.get(new NDIndex(":, 0:1"));
    }

    /** The Q head's columns are InfoGAN's categorical logits, then the continuous codes' means. */
    @Override
    public MutualInformationLoss.Terms codeLoss(NDArray discriminatorOutput, Fakes fakes) {
        return information.evaluate(discriminatorOutput.get(new NDIndex(":, 1:")), fakes.codes());
    }
}
