package io.ganserve.engine.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An optimiser over one block's trainable parameters whose state a checkpoint can carry, so that a
 * trainer can use Adam (DCGAN) or RMSProp (WGAN) alike and a resumed run does not restart cold.
 *
 * <p>Implementations update the weights in place and clear the gradients themselves: DJL's
 * PyTorch engine accumulates gradients until something zeroes them.
 */
public interface GanOptimizer extends AutoCloseable {

    /** Applies one update from the accumulated gradients, then clears them. */
    void step(float learningRateFactor);

    /** Updates applied so far, restored by {@link #load}. */
    long updates();

    void save(DataOutputStream out) throws IOException;

    /** Restores what {@link #save} wrote, for the same block. */
    void load(DataInputStream in) throws IOException;

    /** Frees the optimiser's state; the block's parameters are not its to close. */
    @Override
    void close();
}
