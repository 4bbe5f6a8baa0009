package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.data.DataKind;
import io.ganserve.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which real samples a dataset's picture shows. */
class DatasetPreviewTest {

    /** {@code size} tiny images whose label is {@code index % classes} (0 classes: unlabelled). */
    record Labelled(int size, int classes) implements Dataset {
        public String name() { return "fake"; }
        public DataKind kind() { return DataKind.IMAGES; }
        public int[] sampleShape() { return new int[] {1, 2, 2}; }
        public int numClasses() { return classes; }
        public int label(int index) { return classes == 0 ? -1 : index % classes; }
        public void copySample(int index, float[] dst, int offset) {}
    }

    @Test
    void aLabelledSetShowsARowOfEightPerClassUpToTen() {
        DatasetPreview.Pick pick = DatasetPreview.pick(new Labelled(1000, 12));
        List<Integer> picked = pick.indices();
        assertThat(pick.columns()).isEqualTo(8);
        assertThat(picked).hasSize(80).doesNotHaveDuplicates();
        for (int row = 0; row < 10; row++) {
            int expected = row;
            assertThat(picked.subList(row * 8, row * 8 + 8)).allMatch(i -> i % 12 == expected);
        }
    }

    @Test
    void smallClassesMakeNarrowerRowsNotShiftedOnes() {
        // 20 images, 3 classes of 7, 7 and 6: rows of 6, one per class
        DatasetPreview.Pick pick = DatasetPreview.pick(new Labelled(20, 3));
        assertThat(pick.columns()).isEqualTo(6);
        assertThat(pick.indices()).hasSize(18);
        for (int row = 0; row < 3; row++) {
            int expected = row;
            assertThat(pick.indices().subList(row * 6, row * 6 + 6)).allMatch(i -> i % 3 == expected);
        }
    }

    @Test
    void anUnlabelledSetShowsSixtyFourInAFixedOrder() {
        assertThat(DatasetPreview.pick(new Labelled(500, 0)).indices()).hasSize(64)
                .isEqualTo(DatasetPreview.pick(new Labelled(500, 0)).indices());
    }
}
