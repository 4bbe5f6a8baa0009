package io.ganserve.gan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.function.Supplier;

/** The adversarial objectives a job can train with. */
public enum LossKind {
    MINIMAX("minimax", MinimaxLoss::new),
    NON_SATURATING("non-saturating", NonSaturatingLoss::new),
    /** Weight-clipped critic (Arjovsky et al. 2017). */
    WGAN("wgan", WassersteinLoss::new),
    /** Gradient-penalised critic (Gulrajani et al. 2017): the same loss plus λ(‖∇f(x̂)‖ − 1)². */
    WGAN_GP("wgan-gp", WassersteinLoss::new),
    HINGE("hinge", HingeLoss::new),
    /** Mao et al. 2017: squared errors on the critic's raw output; CycleGAN's adversarial loss. */
    LEAST_SQUARES("least-squares", LeastSquaresLoss::new);

    private final String id;
    private final Supplier<GanLoss> factory;

    LossKind(String id, Supplier<GanLoss> factory) {
        this.id = id;
        this.factory = factory;
    }

    @JsonValue
    public String id() {
        return id;
    }

    /** True for the Wasserstein losses, whose critic loss estimates a distance worth reporting. */
    public boolean isWasserstein() {
        return this == WGAN || this == WGAN_GP;
    }

    public GanLoss create() {
        return factory.get();
    }

    @JsonCreator
    public static LossKind of(String id) {
        return Arrays.stream(values())
                .filter(l -> l.id.equalsIgnoreCase(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown loss '" + id + "'; expected one of " + Arrays.toString(ids())));
    }

    public static String[] ids() {
        return Arrays.stream(values()).map(LossKind::id).toArray(String[]::new);
    }
}
