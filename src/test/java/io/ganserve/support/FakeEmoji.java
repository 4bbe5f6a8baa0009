package io.ganserve.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Two small emoji "vendors" laid out as scripts/install-emoji.sh lays out the real ones
 * ({@code <dir>/google}, {@code <dir>/twitter}: {@code emoji.json} and {@code 64/*.png}), with a
 * translation known exactly: a twitter image is its google twin with the red and blue channels
 * swapped (a reddish shape becomes a bluish one; the transparent background stays white once
 * composited). Three categories, one shape each.
 */
public final class FakeEmoji {

    public static final List<String> CATEGORIES = List.of("Smileys & Emotion", "Animals & Nature", "Objects");

    private FakeEmoji() {}

    /** Writes {@code count} emoji per vendor under {@code dir}; returns their names (code points). */
    public static List<String> write(Path dir, int count) throws IOException {
        List<String> names = new ArrayList<>();
        StringBuilder json = new StringBuilder("[");
        for (int k = 0; k < count; k++) {
            String name = Integer.toHexString(0x1f300 + k);
            names.add(name);
            String category = CATEGORIES.get(k % CATEGORIES.size());
            json.append(k == 0 ? "" : ",").append("{\"image\":\"").append(name).append(".png\",\"category\":\"")
                    .append(category).append("\",\"has_img_google\":true,\"has_img_twitter\":true}");
        }
        json.append(']');
        for (String vendor : List.of("google", "twitter")) {
            Path images = dir.resolve(vendor).resolve("64");
            Files.createDirectories(images);
            Files.writeString(dir.resolve(vendor).resolve("emoji.json"), json);
            for (int k = 0; k < count; k++) {
                ImageIO.write(image(k, vendor.equals("twitter")), "png", images.resolve(names.get(k) + ".png").toFile());
            }
        }
        return names;
    }

    /** Emoji {@code k}: a reddish disc, square or bar by category; swapped to bluish for twitter. */
    static BufferedImage image(int k, boolean swapped) {
        int r = 180 + (k * 37) % 70;
        int g = 30 + (k * 53) % 120;
        int b = 20 + (k * 29) % 60;
        Color colour = swapped ? new Color(b, g, r) : new Color(r, g, b);
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        Graphics2D gfx = image.createGraphics();
        gfx.setColor(colour);
        int inset = 8 + (k * 7) % 10;
        switch (k % CATEGORIES.size()) {
            case 0 -> gfx.fillOval(inset, inset, 64 - 2 * inset, 64 - 2 * inset);
            case 1 -> gfx.fillRect(inset, inset, 64 - 2 * inset, 64 - 2 * inset);
            default -> gfx.fillRect(inset, 26, 64 - 2 * inset, 12);
        }
        gfx.dispose();
        return image;
    }
}
