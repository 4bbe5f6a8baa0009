package io.ganserve.training;

/** A loss went NaN or infinite twice, the second time in a replay: the run stops, keeping its last good checkpoint. */
public final class TrainingDivergedException extends RuntimeException {

    /**
     * @param step the step whose losses were not finite
     * @param firstStep where the run diverged before it was replayed from its last checkpoint
     */
    public TrainingDivergedException(long step, StepResult losses, long firstStep) {
        super("training diverged at step " + step + ": generator loss " + losses.generatorLoss()
                + ", discriminator loss " + losses.discriminatorLoss()
                + (firstStep == step ? ", again after a replay from the last checkpoint"
                        : " after a replay from the last checkpoint (step " + firstStep + " the first time)")
                + "; the last good checkpoint is kept (try a lower learning rate)");
    }
}
