package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Each loss against values computed by hand from its formula. */
class GanLossTest {

    private static double softplus(double a) {
        return Math.log1p(Math.exp(a));
    }

    @Test
    void wassersteinLossesAreDifferencesOfMeanScores() {
        try (NDManager m = NDManager.newBaseManager()) {
            GanLoss w = new WassersteinLoss();
            float critic = w.discriminatorLoss(m.create(new float[] {3f, 1f}), m.create(new float[] {-1f, 0f})).getFloat();
            assertThat((double) critic).isCloseTo(-0.5 - 2.0, within(1e-6));
            assertThat((double) w.generatorLoss(m.create(new float[] {-1f, 0f})).getFloat()).isCloseTo(0.5, within(1e-6));
        }
    }

    @Test
    void hingeLossPenalisesOnlyInsideTheMargin() {
        try (NDManager m = NDManager.newBaseManager()) {
            GanLoss h = new HingeLoss();
            // real: max(0, 1-2)=0, max(0, 1-0.5)=0.5 → 0.25; fake: max(0, 1-3)=0, max(0, 1+0.5)=1.5 → 0.75
            float d = h.discriminatorLoss(m.create(new float[] {2f, 0.5f}), m.create(new float[] {-3f, 0.5f})).getFloat();
            assertThat((double) d).isCloseTo(1.0, within(1e-6));
            assertThat((double) h.generatorLoss(m.create(new float[] {-3f, 0.5f})).getFloat()).isCloseTo(1.25, within(1e-6));
        }
    }

    @Test
    void discriminatorLossIsTheCrossEntropyOfRealAndFake() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] real = {2f, -1f};
            float[] fake = {0.5f, -3f};
            double expected = (softplus(-2) + softplus(1)) / 2 + (softplus(0.5) + softplus(-3)) / 2;
            for (LossKind kind : new LossKind[] {LossKind.MINIMAX, LossKind.NON_SATURATING}) {
                float value = kind.create().discriminatorLoss(m.create(real), m.create(fake)).getFloat();
                assertThat((double) value).as(kind.id()).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void nonSaturatingGeneratorLossIsMinusMeanLogSigmoid() {
        try (NDManager m = NDManager.newBaseManager()) {
            float value = new NonSaturatingLoss().generatorLoss(m.create(new float[] {0f, 2f, -4f})).getFloat();
            double expected = (Math.log(2) + softplus(-2) + softplus(4)) / 3;
            assertThat((double) value).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void minimaxGeneratorLossIsMeanLogOfOneMinusSigmoid() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] logits = {0f, 2f, -4f};
            float value = new MinimaxLoss().generatorLoss(m.create(logits)).getFloat();
            double expected = 0;
            for (float l : logits) {
                expected += Math.log(1 - 1 / (1 + Math.exp(-l)));
            }
            assertThat((double) value).isCloseTo(expected / 3, within(1e-6));
        }
    }

    @Test
    void lossesStayFiniteForExtremeLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] extreme = {-200f, 200f};
            for (LossKind kind : LossKind.values()) {
                GanLoss loss = kind.create();
                assertThat(loss.discriminatorLoss(m.create(extreme), m.create(extreme)).getFloat()).isFinite();
                assertThat(loss.generatorLoss(m.create(extreme)).getFloat()).isFinite();
            }
        }
    }
}
