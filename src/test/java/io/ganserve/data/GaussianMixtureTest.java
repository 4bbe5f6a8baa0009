package io.ganserve.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {

    private static final int SAMPLES = 20_000;

    @Test
    void ring8HasEightModesOnTheUnitCircleFortyFiveDegreesApart() {
        GaussianMixture ring = GaussianMixture.ring8();

        assertThat(ring.modeCount()).isEqualTo(8);
        assertThat(ring.std()).isEqualTo(0.01);
        double[][] modes = ring.modes();
        for (int k = 0; k < 8; k++) {
            assertThat(Math.hypot(modes[k][0], modes[k][1])).isCloseTo(1.0, within(1e-12));
            double angle = Math.atan2(modes[k][1], modes[k][0]);
            double expected = Math.toRadians(45.0 * k);
            assertThat(Math.cos(angle - expected)).isCloseTo(1.0, within(1e-12));
            double[] next = modes[(k + 1) % 8];
            double step = Math.toDegrees(Math.acos(modes[k][0] * next[0] + modes[k][1] * next[1]));
            assertThat(step).isCloseTo(45.0, within(1e-9));
        }
        assertThat(Math.hypot(modes[0][0] - modes[7][0], modes[0][1] - modes[7][1]))
                .as("linspace(0, 2pi, 8) would make the first and last mode coincide")
                .isGreaterThan(0.7);
    }

    @Test
    void grid25HasTwentyFiveDistinctModesOnTheEvenGrid() {
        GaussianMixture grid = GaussianMixture.grid25();

        assertThat(grid.modeCount()).isEqualTo(25);
        assertThat(grid.std()).isEqualTo(0.05);
        Set<List<Double>> distinct = new HashSet<>();
        for (double[] mode : grid.modes()) {
            assertThat(mode[0]).isIn(-4.0, -2.0, 0.0, 2.0, 4.0);
            assertThat(mode[1]).isIn(-4.0, -2.0, 0.0, 2.0, 4.0);
            distinct.add(List.of(mode[0], mode[1]));
        }
        assertThat(distinct).hasSize(25);
    }

    @Test
    void ring8SamplesAreSpreadEvenlyWithTheConfiguredStd() {
        assertEvenAndTight(GaussianMixture.ring8());
    }

    @Test
    void grid25SamplesAreSpreadEvenlyWithTheConfiguredStd() {
        assertEvenAndTight(GaussianMixture.grid25());
    }

    private static void assertEvenAndTight(GaussianMixture mixture) {
        float[][] points = mixture.sample(SAMPLES, new Random(42));
        int modes = mixture.modeCount();
        int[] counts = new int[modes];
        double[] squaredDeviation = new double[modes];
        for (float[] point : points) {
            int mode = mixture.nearestMode(point[0], point[1]);
            double distance = mixture.distanceToMode(mode, point[0], point[1]);
            counts[mode]++;
            squaredDeviation[mode] += distance * distance;
        }
        double expectedCount = (double) SAMPLES / modes;
        for (int mode = 0; mode < modes; mode++) {
            assertThat((double) counts[mode]).as("count of mode %d", mode)
                    .isBetween(0.8 * expectedCount, 1.2 * expectedCount);
            // Two coordinates per point, each with variance std^2.
            double std = Math.sqrt(squaredDeviation[mode] / (2.0 * counts[mode]));
            assertThat(std).as("std around mode %d", mode)
                    .isBetween(0.9 * mixture.std(), 1.1 * mixture.std());
        }
    }

    @Test
    void sameSeedGivesSameSample() {
        GaussianMixture ring = GaussianMixture.ring8();

        assertThat(ring.sample(50, new Random(7))).isDeepEqualTo(ring.sample(50, new Random(7)));
    }

    @Test
    void nearestModeAndDistance() {
        GaussianMixture grid = GaussianMixture.grid25();

        int mode = grid.nearestMode(1.9, -4.2);
        assertThat(grid.mode(mode)).containsExactly(2.0, -4.0);
        assertThat(grid.distanceToNearest(1.9, -4.2)).isCloseTo(Math.hypot(0.1, 0.2), within(1e-12));
    }

    @Test
    void pointDatasetLabelsEachPointWithItsMode() {
        PointDataset points = new PointDataset(GaussianMixture.ring8(), 500, 3L);

        assertThat(points.size()).isEqualTo(500);
        assertThat(points.sampleShape()).containsExactly(2);
        assertThat(points.sampleLength()).isEqualTo(2);
        assertThat(points.numClasses()).isEqualTo(8);
        assertThat(points.kind()).isEqualTo(DataKind.POINTS);
        assertThat(points.name()).isEqualTo("ring8");
        float[] buffer = new float[5];
        for (int i = 0; i < points.size(); i++) {
            points.copySample(i, buffer, 3);
            assertThat(points.mixture().nearestMode(buffer[3], buffer[4])).isEqualTo(points.label(i));
        }
        assertThat(new PointDataset(GaussianMixture.ring8(), 500, 3L).label(123)).isEqualTo(points.label(123));
    }
}
