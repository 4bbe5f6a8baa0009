package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/** The GAN paper's game: G(z) alone; with PacGAN, D judges packs of {@code pack} samples as one. */
final class Unconditioned implements Conditioning {

    private final int pack;

    Unconditioned(int pack) {
        this.pack = pack;
    }

    @Override
    public NDArray real(BatchSource batches, NDManager scratch, long step, int k) {
        return packed(batches.realBatch(scratch, step, k));
    }

    @Override
    public Fakes fakes(Block generator, BatchSource batches, NDManager scratch, long step, int k) {
        NDArray z = batches.noise(scratch, step, k);
        return new Fakes(packed(GanTrainer.forward(generator, z, scratch)), null);
    }

    /** m consecutive samples become one example, stacked along the first data axis. */
    private NDArray packed(NDArray batch) {
        if (pack == 1) {
            return batch;
        }
        Shape s = batch.getShape();
        long[] dims = s.getShape().clone();
        dims[0] = s.get(0) / pack;
        dims[1] = s.get(1) * pack;
        return batch.reshape(dims); // N x C x H x W -> N/m x m·C x H x W (points: N x 2 -> N/m x 2m)
    }
}
