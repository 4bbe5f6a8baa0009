package io.ganserve.sampling.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ZipArchiveTest {

    @Test
    void writesOneDecodablePngPerImage() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(4 + i, 5, BufferedImage.TYPE_INT_RGB);
            img.setRGB(0, 0, 0x102030 * (i + 1));
            images.add(img);
        }

        byte[] zip = ZipArchive.pngs(images, "samples");

        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                int i = names.size();
                names.add(entry.getName());
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
                assertThat(decoded).as(entry.getName()).isNotNull();
                assertThat(decoded.getWidth()).isEqualTo(4 + i);
                assertThat(decoded.getHeight()).isEqualTo(5);
                assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x102030 * (i + 1));
            }
        }
        assertThat(names).containsExactly("samples-0000.png", "samples-0001.png", "samples-0002.png");
    }

    @Test
    void emptyListGivesEmptyArchive() throws IOException {
        byte[] zip = ZipArchive.pngs(List.of(), "x");
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void rejectsPathLikePrefixes() {
        List<BufferedImage> one = List.of(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        assertThatThrownBy(() -> ZipArchive.pngs(one, "../evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZipArchive.pngs(one, "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZipArchive.pngs(one, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
