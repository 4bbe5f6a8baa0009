package io.ganserve.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MutualInformationLossTest {

    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static NDArray rows(float[][] values) {
        return manager.create(values);
    }

    @Test
    void aQHeadThatIsSureAndRightRecoversAllOfTheCodesEntropy() {
        LatentCodes codes = new LatentCodes(4, 0);
        MutualInformationLoss info = new MutualInformationLoss(codes, 1, 0.1f);
        float[][] oneHot = {{1, 0, 0, 0}, {0, 0, 1, 0}};
        float[][] logits = {{30, 0, 0, 0}, {0, 0, 30, 0}};
        MutualInformationLoss.Terms terms = info.evaluate(rows(logits), rows(oneHot));
        assertThat(terms.mutualInformation()).isCloseTo((float) Math.log(4), within(1e-5f));
        assertThat(terms.loss().getFloat()).isCloseTo(0f, within(1e-5f));
    }

    @Test
    void aQHeadThatKnowsNothingBoundsTheInformationAtZero() {
        MutualInformationLoss info = new MutualInformationLoss(new LatentCodes(4, 0), 2, 0.1f);
        MutualInformationLoss.Terms terms = info.evaluate(rows(new float[][] {{0, 0, 0, 0}}), rows(new float[][] {{0, 1, 0, 0}}));
        assertThat(terms.mutualInformation()).isCloseTo(0f, within(1e-6f));
        assertThat(terms.loss().getFloat()).as("λ · log 4").isCloseTo((float) (2 * Math.log(4)), within(1e-5f));
    }

    @Test
    void continuousCodesCostHalfTheSquaredErrorTimesTheirWeight() {
        MutualInformationLoss info = new MutualInformationLoss(new LatentCodes(2, 2), 1, 0.1f);
        // categorical part exact (logit gap 40), continuous errors (0.5, -1) and (0, 2)
        float[][] q = {{20, -20, 0.5f, -1}, {-20, 20, 0, 2}};
        float[][] c = {{1, 0, 0, 0}, {0, 1, 0, 0}};
        float expected = 0.1f * 0.5f * ((0.25f + 1) + (0 + 4)) / 2;
        assertThat(info.evaluate(rows(q), rows(c)).loss().getFloat()).isCloseTo(expected, within(1e-5f));
    }

    @Test
    void codesAreNamedC1ForTheCategoricalOneAndThenTheContinuousOnes() {
        LatentCodes codes = new LatentCodes(10, 2);
        assertThat(codes.indexOf("c1")).isZero();
        assertThat(codes.isCategorical(0)).isTrue();
        assertThat(codes.indexOf("c3")).isEqualTo(2);
        assertThat(codes.indexOf("c4")).isEqualTo(-1);
        assertThat(new LatentCodes(0, 2).isCategorical(0)).isFalse();
        assertThat(codes.width()).isEqualTo(12);
    }
}
