package io.ganserve.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** A small labelled image set made in the test: white squares and discs on black, in class folders. */
public final class ShapeImages {

    private ShapeImages() {}

    public static void writeFolder(Path root, int size, int perClass, long seed) throws IOException {
        Random rng = new Random(seed);
        for (String shape : new String[] {"disc", "square"}) {
            Path dir = Files.createDirectories(root.resolve(shape));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = img.createGraphics();
                g.setColor(Color.WHITE);
                int extent = size / 3 + rng.nextInt(size / 4);
                int x = rng.nextInt(size - extent);
                int y = rng.nextInt(size - extent);
                if (shape.equals("disc")) {
                    g.fillOval(x, y, extent, extent);
                } else {
                    g.fillRect(x, y, extent, extent);
                }
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(String.format("%s-%03d.png", shape, i)).toFile());
            }
        }
    }
}
