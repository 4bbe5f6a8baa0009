package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InceptionScoreTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float[][] oneHot(int[] classes, int k) {
        float[][] rows = new float[classes.length][k];
        for (int i = 0; i < classes.length; i++) {
            rows[i][classes[i]] = 1;
        }
        return rows;
    }

    private static int[] cycling(int count, int k) {
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = i % k;
        }
        return classes;
    }

    @Test
    void confidentRowsSpreadEvenlyOverKClassesScoreK() {
        NDArray probabilities = manager.create(oneHot(cycling(70, 7), 7));

        assertThat(InceptionScore.of(probabilities)).isCloseTo(7.0, within(1e-12));
    }

    @Test
    void identicalRowsScoreOne() {
        float[][] rows = new float[20][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new float[] {0.2f, 0.5f, 0.3f};
        }

        assertThat(InceptionScore.of(manager.create(rows))).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void smallExampleByHand() {
        // p(y) = (3/4, 1/4). KL of (1, 0) is log(4/3) (the 0·log 0 term is 0); KL of (1/2, 1/2) is
        // ½log(2/3) + ½log 2 = ½log(4/3). The mean is ¾log(4/3).
        NDArray probabilities = manager.create(new float[][] {{1, 0}, {0.5f, 0.5f}});

        assertThat(InceptionScore.of(probabilities)).isCloseTo(Math.pow(4.0 / 3, 0.75), within(1e-12));
    }

    @Test
    void randomRowsAgreeWithADoubleBruteForce() {
        Random random = new Random(5);
        float[][] rows = new float[300][6];
        for (float[] row : rows) {
            double sum = 0;
            for (int j = 0; j < row.length; j++) {
                // Sparse rows exercise the 0·log 0 convention.
                row[j] = random.nextDouble() < 0.3 ? 0 : (float) random.nextDouble();
                sum += row[j];
            }
            for (int j = 0; j < row.length; j++) {
                row[j] = sum == 0 ? (j == 0 ? 1 : 0) : (float) (row[j] / sum);
            }
        }
        double[] marginal = new double[6];
        for (float[] row : rows) {
            for (int j = 0; j < 6; j++) {
                marginal[j] += row[j] / (double) rows.length;
            }
        }
        double kl = 0;
        for (float[] row : rows) {
            for (int j = 0; j < 6; j++) {
                if (row[j] > 0) {
                    kl += row[j] * Math.log(row[j] / marginal[j]) / rows.length;
                }
            }
        }

        double score = InceptionScore.of(manager.create(rows));

        assertThat(score).isCloseTo(Math.exp(kl), within(1e-9)).isBetween(1.0, 6.0);
    }

    @Test
    void splitsGiveMeanAndPopulationStd() {
        // First half all class 0 (score 1), second half alternating two classes (score 2).
        int[] classes = new int[40];
        for (int i = 20; i < 40; i++) {
            classes[i] = i % 2;
        }
        NDArray probabilities = manager.create(oneHot(classes, 3));

        InceptionScore.Score score = InceptionScore.of(probabilities, 2);

        assertThat(score.mean()).isCloseTo(1.5, within(1e-12));
        assertThat(score.std()).isCloseTo(0.5, within(1e-12));
        // Together: p(y) = (3/4, 1/4, 0); KL is log(4/3) for 30 rows of class 0 and log 4 for 10 of class 1.
        assertThat(InceptionScore.of(probabilities)).isCloseTo(Math.exp(0.75 * Math.log(4.0 / 3) + 0.25 * Math.log(4)),
                within(1e-12));
    }

    @Test
    void tenEvenSplitsOfEvenlySpreadRowsAllScoreK() {
        NDArray probabilities = manager.create(oneHot(cycling(10 * 5 * 4, 5), 5));

        InceptionScore.Score score = InceptionScore.of(probabilities, InceptionScore.DEFAULT_SPLITS);

        assertThat(score.mean()).isCloseTo(5.0, within(1e-12));
        assertThat(score.std()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void leavesNoArraysInTheCallersManager() {
        NDArray probabilities = manager.create(oneHot(cycling(30, 3), 3));
        int before = manager.getManagedArrays().size();

        InceptionScore.of(probabilities, 3);
        InceptionScore.of(probabilities);

        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void rejectsRowsThatAreNotDistributions() {
        assertThatThrownBy(() -> InceptionScore.of(manager.create(new float[][] {{0.5f, 0.6f}})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0");
        assertThatThrownBy(() -> InceptionScore.of(manager.create(new float[][] {{1.5f, -0.5f}})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InceptionScore.of(manager.create(new float[][] {{Float.NaN, 1}})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InceptionScore.of(manager.create(new float[][] {{1, 0}}), 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
