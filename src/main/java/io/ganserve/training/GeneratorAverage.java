package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.ganserve.engine.NativeArrays;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The generator that serving gets: G itself, or an exponential moving average of G's weights
 * (θ_avg ← d·θ_avg + (1 − d)·θ after every G update), which is smoother than any one step of G.
 */
interface GeneratorAverage {

    /** The generator to sample from. */
    Block served(Block generator);

    /** After every generator update. */
    default void update(Block generator) {}

    default void save(DataOutputStream out) throws IOException {}

    default void load(NDManager manager, DataInputStream in) throws IOException, ai.djl.MalformedModelException {}

    GeneratorAverage NONE = generator -> generator;

    static GeneratorAverage of(float decay, Block generator, NetworkSpec spec, NDManager manager) {
        return decay > 0 ? new MovingAverage(decay, generator, spec, manager) : NONE;
    }

    /** EMA; batch-norm statistics are copied, not averaged. */
    final class MovingAverage implements GeneratorAverage {

        private final float decay;
        private final Block average;

        MovingAverage(float decay, Block generator, NetworkSpec spec, NDManager manager) {
            this.decay = decay;
            this.average = GanModelZoo.emptyGenerator(spec, manager);
            List<Parameter> from = generator.getParameters().values();
            List<Parameter> to = average.getParameters().values();
            for (int i = 0; i < from.size(); i++) {
                NativeArrays.copy(from.get(i).getArray(), to.get(i).getArray());
                to.get(i).getArray().setRequiresGradient(false);
            }
        }

        @Override
        public Block served(Block generator) {
            return average;
        }

        @Override
        public void update(Block generator) {
            List<Parameter> live = generator.getParameters().values();
            List<Parameter> avg = average.getParameters().values();
            for (int i = 0; i < live.size(); i++) {
                NDArray a = avg.get(i).getArray();
                NDArray g = live.get(i).getArray();
                if (live.get(i).requiresGradient()) {
                    try (NDArray moved = g.sub(a)) {
                        a.addi(moved.muli(1 - decay));
                    }
                } else {
                    NativeArrays.copy(g, a);
                }
            }
        }

        @Override
        public void save(DataOutputStream out) throws IOException {
            average.saveParameters(out);
        }

        @Override
        public void load(NDManager manager, DataInputStream in) throws IOException, ai.djl.MalformedModelException {
            NativeArrays.loadParameters(average, manager, in);
        }
    }
}
