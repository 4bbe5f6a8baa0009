package io.ganserve.sampling.latent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.sampling.latent.LatentPath.Method;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatentPathTest {

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    private static float[] gaussian(Random rnd, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void slerpEndpointsAreExact() {
        Random rnd = new Random(7);
        float[] a = gaussian(rnd, 100);
        float[] b = gaussian(rnd, 100);

        assertThat(LatentPath.slerp(a, b, 0)).containsExactly(a);
        assertThat(LatentPath.slerp(a, b, 1)).containsExactly(b);
        assertThat(LatentPath.lerp(a, b, 0)).containsExactly(a);
        assertThat(LatentPath.lerp(a, b, 1)).containsExactly(b);
    }

    @Test
    void slerpMidpointOfOrthogonalUnitsStaysOnTheSphere() {
        float[] a = {1f, 0f, 0f};
        float[] b = {0f, 1f, 0f};

        float[] s = LatentPath.slerp(a, b, 0.5);
        float[] l = LatentPath.lerp(a, b, 0.5);

        assertThat(norm(s)).isCloseTo(1.0, within(1e-6));
        assertThat(s[0]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
        assertThat(norm(l)).isCloseTo(Math.sqrt(0.5), within(1e-6));
    }

    @Test
    void slerpQuarterOfRightAngleIsAtTwentyTwoAndAHalfDegrees() {
        float[] s = LatentPath.slerp(new float[] {1f, 0f}, new float[] {0f, 1f}, 0.25);
        assertThat(s[0]).isCloseTo((float) Math.cos(Math.PI / 8), within(1e-6f));
        assertThat(s[1]).isCloseTo((float) Math.sin(Math.PI / 8), within(1e-6f));
    }

    @Test
    void lerpMidpointIsTheAverage() {
        float[] a = {1f, -2f, 3f};
        float[] b = {5f, 4f, -1f};
        assertThat(LatentPath.lerp(a, b, 0.5)).containsExactly(3f, 1f, 1f);
    }

    @Test
    void pathHasStepsPointsWithExactEnds() {
        Random rnd = new Random(11);
        float[] a = gaussian(rnd, 16);
        float[] b = gaussian(rnd, 16);

        for (Method method : Method.values()) {
            float[][] path = LatentPath.path(a, b, 9, method);
            assertThat(path).hasNumberOfRows(9);
            assertThat(path[0]).containsExactly(a);
            assertThat(path[8]).containsExactly(b);
            assertThat(path[0]).isNotSameAs(a);
        }
        float[][] two = LatentPath.path(a, b, 2, Method.SLERP);
        assertThat(two).hasNumberOfRows(2);
        assertThat(LatentPath.path(a, b, 5, Method.LERP)[2]).containsExactly(LatentPath.lerp(a, b, 0.5));
        assertThat(LatentPath.path(a, b, 5, Method.SLERP)[1]).containsExactly(LatentPath.slerp(a, b, 0.25));
    }

    @Test
    void parallelAntiparallelAndZeroVectorsDoNotProduceNaN() {
        float[] a = {1f, 2f, 3f};
        float[] twiceA = {2f, 4f, 6f};
        float[] minusA = {-1f, -2f, -3f};
        float[] zero = {0f, 0f, 0f};

        assertThat(LatentPath.slerp(a, a, 0.5)).containsExactly(a);
        assertThat(LatentPath.slerp(a, twiceA, 0.5)).containsExactly(1.5f, 3f, 4.5f);
        for (float[] b : new float[][] {twiceA, minusA, zero}) {
            for (float[] p : LatentPath.path(a, b, 7, Method.SLERP)) {
                for (float x : p) {
                    assertThat(Float.isNaN(x)).isFalse();
                }
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] a = {1f, 0f};
        assertThatThrownBy(() -> LatentPath.path(a, a, 1, Method.LERP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatentPath.lerp(a, new float[3], 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatentPath.slerp(a, a, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
