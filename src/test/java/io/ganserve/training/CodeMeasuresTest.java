package io.ganserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CodeMeasuresTest {

    @Test
    void theMeasuresThemselvesHaveTheirKnownAnswers() {
        int[][] permuted = new int[10][10];
        int[][] uniform = new int[10][10];
        for (int v = 0; v < 10; v++) {
            permuted[v][(v * 3) % 10] = 100; // every value owns a different class
            Arrays.fill(uniform[v], 10);
        }
        assertThat(CodeMeasures.bestOneToOneAccuracy(permuted)).isEqualTo(1.0);
        assertThat(CodeMeasures.bestOneToOneAccuracy(uniform)).isEqualTo(0.1);
        int[][] collapsed = new int[10][10];
        for (int[] row : collapsed) {
            row[4] = 100; // all values make one class: one-to-one can credit it once
        }
        assertThat(CodeMeasures.bestOneToOneAccuracy(collapsed)).isEqualTo(0.1);
        assertThat(CodeMeasures.majorityPurity(collapsed)).isEqualTo(1.0);
        assertThat(CodeMeasures.spearmanWithOrder(new double[] {1, 2, 5, 9})).isEqualTo(1.0);
        assertThat(CodeMeasures.spearmanWithOrder(new double[] {9, 5, 2, 1})).isEqualTo(-1.0);
        assertThat(CodeMeasures.spearmanWithOrder(new double[] {1, 3, 2, 4})).isEqualTo(0.8, within(1e-12));
    }


    @Test
    void imageStatisticsReadInkMassRowAndSpread() {
        float[] dark = new float[16];
        Arrays.fill(dark, -1f);
        float[] image = dark.clone();
        image[1 * 4 + 1] = 1f; // one white pixel at row 1
        image[1 * 4 + 3] = 1f; // and one at row 1, two columns right
        assertThat(CodeMeasures.ImageStatistic.BRIGHTNESS.of(image, 0, 4)).isEqualTo(2.0);
        assertThat(CodeMeasures.ImageStatistic.VERTICAL_CENTROID.of(image, 0, 4)).isEqualTo(1.0);
        assertThat(CodeMeasures.ImageStatistic.HORIZONTAL_SPREAD.of(image, 0, 4)).isEqualTo(1.0);
    }
}
