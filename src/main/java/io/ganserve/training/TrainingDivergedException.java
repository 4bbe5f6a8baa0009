package io.ganserve.training;

/** A loss went NaN or infinite: the run stops, keeping its last good checkpoint. */
public final class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(long step, StepResult losses) {
        super("training diverged at step " + step + ": generator loss " + losses.generatorLoss()
                + ", discriminator loss " + losses.discriminatorLoss()
                + "; the last good checkpoint is kept (try a lower learning rate)");
    }
}
