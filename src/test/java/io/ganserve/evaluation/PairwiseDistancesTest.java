package io.ganserve.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PairwiseDistancesTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void matrixPlusRowNormsIsTheSquaredDistanceLessOffsets() {
        float[][] reference = FeatureStatisticsTest.gaussian(13, 6, 1, 2, 1);
        float[][] points = FeatureStatisticsTest.gaussian(9, 6, 0, 1, 2);
        float[] offsets = new float[13];
        for (int j = 0; j < offsets.length; j++) {
            offsets[j] = 0.5f * j;
        }
        try (NDManager scratch = manager.newSubManager()) {
            PairwiseDistances distances = new PairwiseDistances(manager.create(reference), scratch);
            NDArray rows = PairwiseDistances.rows(manager.create(points), scratch, 0, 9);

            float[] plain = distances.lessRowNormsFrom(rows).toFloatArray();
            float[] lessOffsets = distances.lessOffsets(scratch.create(offsets)).lessRowNormsFrom(rows).toFloatArray();
            float[] norms = PairwiseDistances.rowSquaredNorms(rows).toFloatArray();

            for (int i = 0; i < points.length; i++) {
                for (int j = 0; j < reference.length; j++) {
                    double expected = 0;
                    for (int k = 0; k < 6; k++) {
                        expected += (points[i][k] - (double) reference[j][k]) * (points[i][k] - (double) reference[j][k]);
                    }
                    assertThat(plain[i * 13 + j] + (double) norms[i]).isCloseTo(expected, within(1e-4));
                    assertThat(lessOffsets[i * 13 + j] + (double) norms[i]).isCloseTo(expected - offsets[j], within(1e-4));
                }
            }
        }
    }

    @Test
    void rowsAreSlicedIntoTheGivenManagerAsFloat32() {
        NDArray points = manager.create(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        try (NDManager scratch = manager.newSubManager()) {
            NDArray rows = PairwiseDistances.rows(points, scratch, 1, 3);

            assertThat(rows.getManager()).isSameAs(scratch);
            assertThat(rows.toFloatArray()).containsExactly(3, 4, 5, 6);
        }
    }

    @Test
    void chunksAreBoundedByTheBudget() {
        assertThat(PairwiseDistances.rowsPerChunk(10_000) * 10_000).isLessThanOrEqualTo(PairwiseDistances.CHUNK_ELEMENTS);
        assertThat(PairwiseDistances.rowsPerChunk(Long.MAX_VALUE / 2)).isEqualTo(1);
    }
}
