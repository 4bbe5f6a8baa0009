package io.ganserve.gan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The network families a job can train. */
public enum Architecture {
    /** The GAN paper's fully connected networks: point data and flattened images. */
    MLP("mlp"),
    /** Radford et al.'s convolutional networks: images of 28, 32 or 64 pixels. */
    DCGAN("dcgan"),
    /**
     * Zhu et al.'s CycleGAN: two generators that translate images between two domains, and two
     * critics; built by {@code gan.cyclegan}, not by {@link GanModelZoo}.
     */
    CYCLEGAN("cyclegan"),
    /**
     * Salimans et al.'s semi-supervised GAN: a K-class discriminator ({@link SemiSupervisedNetwork})
     * trained on a few labels, the unlabelled images and a DCGAN generator's samples; the job's
     * product is the classifier, not the generator.
     */
    SEMI_SUPERVISED("semi-supervised");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static Architecture of(String id) {
        return Arrays.stream(values())
                .filter(a -> a.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown architecture '" + id + "'; expected one of " + Arrays.toString(ids())));
    }

    /**
     * Whether a family's networks are convolutional (every one but the MLP): where bfloat16 pays.
     * Static, not a getter, so that no JSON mapper takes it for a property of the enum.
     */
    public static boolean convolutional(Architecture architecture) {
        return architecture != MLP;
    }

    public static String[] ids() {
        return Arrays.stream(values()).map(Architecture::id).toArray(String[]::new);
    }
}
