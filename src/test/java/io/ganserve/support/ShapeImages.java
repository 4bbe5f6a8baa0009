package io.ganserve.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small labelled image set made in the test: white shapes on black, one class folder per shape,
 * each drawn at a random size and position (the factors a continuous latent code can learn).
 */
public final class ShapeImages {

    /** The two shapes the simplest tests use. */
    public static final List<String> TWO = List.of("disc", "square");
    /** Four shapes a classifier tells apart at a glance. */
    public static final List<String> FOUR = List.of("disc", "square", "triangle", "bar");

    private ShapeImages() {}

    public static void writeFolder(Path root, int size, int perClass, long seed) throws IOException {
        writeFolder(root, size, perClass, seed, TWO);
    }

    public static void writeFolder(Path root, int size, int perClass, long seed, List<String> shapes) throws IOException {
        Random rng = new Random(seed);
        for (String shape : shapes) {
            Path dir = Files.createDirectories(root.resolve(shape));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = img.createGraphics();
                g.setColor(Color.WHITE);
                int extent = size / 3 + rng.nextInt(size / 4);
                int x = rng.nextInt(size - extent);
                int y = rng.nextInt(size - extent);
                switch (shape) {
                    case "disc" -> g.fillOval(x, y, extent, extent);
                    case "square" -> g.fillRect(x, y, extent, extent);
                    case "triangle" -> g.fillPolygon(new int[] {x, x + extent / 2, x + extent},
                            new int[] {y + extent, y, y + extent}, 3);
                    case "bar" -> g.fillRect(x, y + extent / 3, extent, Math.max(2, extent / 3));
                    default -> throw new IllegalArgumentException("no shape " + shape);
                }
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(String.format("%s-%03d.png", shape, i)).toFile());
            }
        }
    }
}
