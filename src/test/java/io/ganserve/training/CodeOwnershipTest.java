package io.ganserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.InfoGan;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ownership check's decision, on centroids and real samples made by hand (no network). */
class CodeOwnershipTest {

    private static final NetworkSpec SPEC = NetworkSpec.mlp(16, List.of(2), 64, 2).withCodes(new LatentCodes(4, 0));
    private static final InfoGan EVERY_500 = new InfoGan(new LatentCodes(4, 0), 1, 0.1f, 500);

    /** 400 real points: 100 around each of the four corners (±1, ±1), std 0.05. */
    private static float[] corners() {
        Random rng = new Random(1);
        float[] real = new float[800];
        for (int i = 0; i < 400; i++) {
            real[2 * i] = (i % 2 == 0 ? 1 : -1) + (float) (0.05 * rng.nextGaussian());
            real[2 * i + 1] = (i / 2 % 2 == 0 ? 1 : -1) + (float) (0.05 * rng.nextGaussian());
        }
        return real;
    }

    @Test
    void aValueSharingAModeMovesToTheModeNoValueReaches() {
        CodeOwnership check = CodeOwnership.of(EVERY_500, SPEC, 10_000, 1);
        // values 0 and 3 both sit on (1, 1); nothing sits on (-1, -1)
        float[] centroids = {1, 1, -1, 1, 1, -1, 1.02f, 1.01f};
        CodeOwnership.Move move = check.plan(500, centroids, corners(), 4);
        assertThat(move).isNotNull();
        assertThat(move.value()).isIn(0, 3);
        assertThat(move.to()[0]).isCloseTo(-1f, within(0.05f));
        assertThat(move.to()[1]).isCloseTo(-1f, within(0.05f));
    }

    @Test
    void valuesOnModesOfTheirOwnStayWhereTheyAre() {
        CodeOwnership check = CodeOwnership.of(EVERY_500, SPEC, 10_000, 1);
        float[] centroids = {1, 1, -1, 1, 1, -1, -1.03f, -0.98f};
        assertThat(check.plan(500, centroids, corners(), 4)).isNull();
    }

    @Test
    void theCheckIsOnlyForPointJobsThatAskForIt() {
        assertThat(CodeOwnership.of(new InfoGan(new LatentCodes(4, 0), 1, 0.1f), SPEC, 10_000, 1)).isNull();
        NetworkSpec images = NetworkSpec.dcgan(16, List.of(1, 28, 28), 16).withCodes(new LatentCodes(4, 0));
        assertThat(CodeOwnership.of(EVERY_500, images, 10_000, 1)).isNull();
    }
}
