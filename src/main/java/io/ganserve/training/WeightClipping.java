package io.ganserve.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;

/** WGAN: the critic's every parameter clipped to [−c, c] after each update, keeping it in a compact set. */
final class WeightClipping implements CriticConstraint {

    private final float c;

    WeightClipping(float c) {
        this.c = c;
    }

    /**
     * Not {@code w.clip(-c, c)}: DJL makes its two bounds as arrays on the parameter's manager and
     * never closes them, which leaked 8 MB a step; these bounds are closed here.
     */
    @Override
    public void afterUpdate(List<Parameter> trainable, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray low = scratch.create(-c);
            NDArray high = scratch.create(c);
            for (Parameter p : trainable) {
                NDArray w = p.getArray();
                // results of ops on w land on w's manager, which lives as long as the job: close each
                try (NDArray below = w.minimum(high);
                        NDArray clipped = below.maximum(low);
                        NDArray excess = w.sub(clipped)) {
                    w.subi(excess);
                }
            }
        }
    }
}
