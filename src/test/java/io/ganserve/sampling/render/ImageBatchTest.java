package io.ganserve.sampling.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageBatchTest {

    @Test
    void rejectsMismatchedLengthAndBadChannels() {
        assertThatThrownBy(() -> new ImageBatch(2, 1, 2, 2, new float[7]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageBatch(1, 2, 2, 2, new float[8]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageBatch(1, 1, 0, 2, new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void grayImageClampsAndRoundsToBytes() {
        float[] px = {-0.5f, 0f, 0.5f, 1f, 2f, Float.NaN};
        BufferedImage img = new ImageBatch(1, 1, 2, 3, px).toImage(0);

        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        assertThat(img.getWidth()).isEqualTo(3);
        assertThat(img.getHeight()).isEqualTo(2);
        var r = img.getRaster();
        assertThat(new int[] {r.getSample(0, 0, 0), r.getSample(1, 0, 0), r.getSample(2, 0, 0),
                r.getSample(0, 1, 0), r.getSample(1, 1, 0), r.getSample(2, 1, 0)})
                .containsExactly(0, 0, 128, 255, 255, 0);
    }

    @Test
    void rgbImageReadsChannelPlanes() {
        // 1 x 3 x 1 x 2: planes R = {1, 0}, G = {0, 0.5}, B = {0, 1}
        float[] px = {1f, 0f, 0f, 0.5f, 0f, 1f};
        BufferedImage img = new ImageBatch(1, 3, 1, 2, px).toImage(0);

        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x0080FF);
    }

    @Test
    void indexSelectsImage() {
        float[] px = {0f, 0f, 1f, 1f};
        ImageBatch batch = new ImageBatch(2, 1, 1, 2, px);

        assertThat(batch.toImage(1).getRaster().getSample(1, 0, 0)).isEqualTo(255);
        assertThat(batch.toImages()).hasSize(2);
        assertThatThrownBy(() -> batch.toImage(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
