package io.ganserve.training.cyclegan;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Shrivastava et al.'s history of generated images, as CycleGAN feeds its critics: until the pool
 * is full every new image goes in and is used as is; after that each new image, with probability
 * ½, swaps with a random stored one, which the critic sees instead. A critic that also sees older
 * translations cannot chase only the generator's latest trick, which damps oscillation.
 *
 * <p>Held on the heap (50 images of 3 × 32 × 32 are 600 KB) so that a checkpoint carries it and a
 * resumed run draws the same images.
 */
final class ImagePool {

    private final int capacity;
    private final int imageLength;
    private final List<float[]> images = new ArrayList<>();

    ImagePool(int capacity, int imageLength) {
        this.capacity = capacity;
        this.imageLength = imageLength;
    }

    /**
     * What the critic sees for a batch of new images (row-major, {@code n} images): the batch with
     * some images replaced by older ones. {@code random} decides which; pass a generator seeded by
     * the step so a replay is exact.
     */
    float[] query(float[] batch, int n, Random random) {
        if (capacity == 0) {
            return batch;
        }
        float[] out = batch.clone();
        for (int i = 0; i < n; i++) {
            float[] image = new float[imageLength];
            System.arraycopy(batch, i * imageLength, image, 0, imageLength);
            if (images.size() < capacity) {
                images.add(image);
            } else if (random.nextBoolean()) {
                int slot = random.nextInt(capacity);
                System.arraycopy(images.get(slot), 0, out, i * imageLength, imageLength);
                images.set(slot, image);
            }
        }
        return out;
    }

    int size() {
        return images.size();
    }

    void save(DataOutputStream out) throws IOException {
        out.writeInt(imageLength);
        out.writeInt(images.size());
        for (float[] image : images) {
            for (float v : image) {
                out.writeFloat(v);
            }
        }
    }

    void load(DataInputStream in) throws IOException {
        int length = in.readInt();
        int count = in.readInt();
        if (length != imageLength || count < 0 || count > capacity) {
            throw new IOException("image pool of " + count + " x " + length + " floats does not fit a pool of "
                    + capacity + " x " + imageLength);
        }
        images.clear();
        for (int i = 0; i < count; i++) {
            float[] image = new float[imageLength];
            for (int j = 0; j < imageLength; j++) {
                image[j] = in.readFloat();
            }
            images.add(image);
        }
    }
}
