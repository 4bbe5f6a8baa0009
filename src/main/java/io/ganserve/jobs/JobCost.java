package io.ganserve.jobs;

import io.ganserve.registry.EvaluationPlan;
import io.ganserve.registry.OptimizerKind;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.registry.Variant;
import io.ganserve.evaluation.EvaluationCost;
import io.ganserve.gan.NetworkCost;
import io.ganserve.gan.NetworkSpec;

/**
 * What a job holds while it trains and what it leaves on disk, priced from its configuration
 * before it starts, so that work that cannot fit is refused at submission instead of being
 * killed by the kernel halfway through its first step.
 *
 * <p>Memory, in floats: every weight with its gradient and optimiser buffers (Adam two,
 * RMSProp one), the averaged generator, the kernels' rearranged copies of a pass; and per
 * example the arrays a step keeps for its backward pass: the discriminator step runs G, and D on
 * a real and a fake batch; the generator step runs G and D again; each step frees its arrays
 * before the next, and its backward pass holds a gradient beside every activation. An evaluation during training holds its samples on top.
 *
 * @param memoryBytes native memory while training, evaluation included
 * @param checkpointBytes one checkpoint: both networks, both optimisers, the average
 * @param generatorBytes the final (or best) generator file
 * @param recordBytes what the job's listeners keep beside it at their bounds (its training history,
 *     its progress grids), see {@link Extra}
 * @param stepBytes the larger training step's arrays, within {@code memoryBytes}: freed between steps,
 *     so work done while training pauses (a progress grid) can use them
 */
public record JobCost(long memoryBytes, long checkpointBytes, long generatorBytes, long recordBytes, long stepBytes) {

    /**
     * What a {@link JobListener} adds to a job's price: files it writes beside the job, and native
     * memory it uses on the training thread while training pauses at a checkpoint (a progress grid's
     * copy of G and its pass), which reuses what the step's arrays held.
     */
    public record Extra(long pauseMemoryBytes, long diskBytes) {
        public static final Extra NONE = new Extra(0, 0);

        public Extra plus(Extra other) {
            // listeners run one after another in the pause: the larger of their needs, not the sum
            return new Extra(Math.max(pauseMemoryBytes, other.pauseMemoryBytes), diskBytes + other.diskBytes);
        }
    }

    /** This price with what the listeners add. */
    public JobCost plus(Extra extra) {
        return new JobCost(memoryBytes + Math.max(0, extra.pauseMemoryBytes() - stepBytes), checkpointBytes,
                generatorBytes, recordBytes + extra.diskBytes(), stepBytes);
    }

    public static JobCost of(TrainingConfig config, NetworkSpec spec) {
        NetworkCost net = NetworkCost.of(spec);
        Variant v = config.variant();
        int buffers = v.optimizer() == OptimizerKind.ADAM ? 2 : 1;
        long average = v.emaDecay() > 0 ? net.generatorParameters() : 0;
        long weights = net.parameters() * (2 + buffers) + average
                + 2 * NetworkCost.PASS_COPIES * net.generatorParameters(); // forward and backward rearrange kernels
        long batch = config.batchSize();
        long examples = batch / Math.max(1, spec.pack());
        long criticStep = batch * net.generatorActivations() + 2 * examples * net.discriminatorActivations();
        long generatorStep = batch * net.generatorActivations() + examples * net.discriminatorActivations();
        long penalty = v.gradientPenalty() > 0 ? 2 * examples * net.discriminatorActivations() : 0;
        // each step's arrays live in a manager of its own, closed before the next step: the peak is the larger step,
        // its forward arrays and a gradient beside each
        long activations = 2 * Math.max(criticStep + penalty, generatorStep);
        EvaluationPlan plan = config.evaluation();
        boolean evaluates = plan.samples() > 0 && (plan.every() > 0 || plan.atEnd());
        long evaluation = evaluates ? EvaluationCost.bytes(spec, plan.samples()) : 0;
        long memory = Float.BYTES * (weights + activations) + evaluation;
        long checkpoint = Float.BYTES * (net.parameters() * (1 + buffers) + average) + HEADER;
        long generator = Float.BYTES * net.generatorParameters() + HEADER;
        return new JobCost(memory, checkpoint, generator, 0, Float.BYTES * activations);
    }

    /**
     * A CycleGAN job: both generators and both critics with a gradient and Adam's two buffers each;
     * per pair of a batch, the generators' update keeps six generator passes and two critic passes
     * for its backward, the critics' update four critic passes, each with a gradient beside it; the
     * two image pools live on the heap. A checkpoint holds the four networks, four optimisers and
     * the pools; the served file holds the two generators.
     */
    public static JobCost translation(TrainingConfig config, io.ganserve.gan.cyclegan.TranslatorCost net,
                                      int imageLength, int evaluationPairs) {
        long parameters = 2 * (net.generatorParameters() + net.criticParameters());
        long weights = 4 * parameters + 2 * NetworkCost.PASS_COPIES * net.generatorParameters();
        long batch = config.batchSize();
        long generatorsStep = batch * (6 * net.generatorActivations() + 2 * net.criticActivations());
        long criticsStep = batch * 4 * net.criticActivations();
        long activations = 2 * Math.max(generatorsStep, criticsStep);
        boolean evaluates = config.evaluation().atEnd() || config.evaluation().every() > 0;
        long evaluation = evaluates ? EvaluationCost.translation(net, evaluationPairs, imageLength) : 0;
        long pools = 2L * config.translation().poolSize() * imageLength;
        long checkpoint = Float.BYTES * (3 * parameters + pools) + HEADER;
        long generators = Float.BYTES * 2 * net.generatorParameters() + HEADER;
        return new JobCost(Float.BYTES * (weights + activations) + evaluation, checkpoint, generators, 0,
                Float.BYTES * activations);
    }

    /**
     * A semi-supervised job: two classifiers trained side by side (the semi-supervised one with its
     * DCGAN generator, and the labels-alone baseline, which builds a generator it never moves), each
     * weight with its gradient and Adam's two buffers. Per example of a batch, the classifier's
     * update keeps G's samples and three classifier passes (labelled, unlabelled, generated) and the
     * generator's update a generator pass and two classifier passes, each with a gradient beside
     * it; the baseline's update one pass; the updates run one after another. An evaluation scores
     * the test split 500 images at a time. A checkpoint holds both classifiers, the generator and
     * their optimisers (the baseline's generator is redrawn from the seed); the served file is the
     * semi-supervised classifier.
     *
     * @param evaluationChunk test images an evaluation passes at once
     */
    public static JobCost semiSupervised(TrainingConfig config, io.ganserve.gan.SemiSupervisedNetwork.Spec classifier,
                                         NetworkSpec generator, int evaluationChunk) {
        io.ganserve.gan.SemiSupervisedNetwork.Cost d = io.ganserve.gan.SemiSupervisedNetwork.cost(classifier);
        NetworkCost g = NetworkCost.of(generator);
        long weights = 2 * 4 * (d.parameters() + g.generatorParameters())
                + 2 * NetworkCost.PASS_COPIES * g.generatorParameters();
        long batch = config.batchSize();
        long classifierStep = batch * (g.generatorActivations() + 3 * d.activationsPerExample());
        long generatorStep = batch * (g.generatorActivations() + 2 * d.activationsPerExample());
        long activations = 2 * Math.max(classifierStep, generatorStep);
        boolean evaluates = config.evaluation().atEnd() || config.evaluation().every() > 0;
        long evaluation = evaluates ? (long) evaluationChunk * (d.activationsPerExample() + classifier.imageLength()) : 0;
        long checkpoint = Float.BYTES * (6 * d.parameters() + 3 * g.generatorParameters()) + HEADER;
        long served = Float.BYTES * d.parameters() + HEADER;
        return new JobCost(Float.BYTES * (weights + activations + evaluation), checkpoint, served, 0,
                Float.BYTES * activations);
    }

    /**
     * An encoder run for a finished generator (learned inference): the encoder's weights with their
     * gradient and Adam's two buffers; per pair of a batch, the generator's activations (inference,
     * freed before the update) and the encoder's forward arrays with a gradient beside each. Its
     * checkpoint is the encoder itself; it keeps no optimiser state on disk.
     */
    public static JobCost encoder(NetworkSpec generator, int batchSize) {
        io.ganserve.gan.EncoderNetwork.Cost encoder = io.ganserve.gan.EncoderNetwork.cost(generator);
        NetworkCost net = NetworkCost.of(generator);
        long weights = encoder.parameters() * 4 + NetworkCost.PASS_COPIES * (net.generatorParameters()
                + encoder.parameters());
        long activations = (long) batchSize * (net.generatorActivations() + 2 * encoder.activationsPerExample()
                + generator.sampleLength() + 2L * generator.latentDim());
        long file = Float.BYTES * encoder.parameters() + HEADER;
        return new JobCost(Float.BYTES * (weights + activations), file, file, 0, Float.BYTES * activations);
    }

    /** Names, shapes and headers beside the raw floats; generous for the largest networks' few dozen arrays. */
    private static final long HEADER = 64 * 1024;

    /**
     * Disk the job needs at its largest: the checkpoints it keeps plus the one being written beside
     * them, the final generator, a best generator when its evaluations keep one, and its records.
     */
    public long diskBytes(int keepCheckpoints) {
        return checkpointBytes * (keepCheckpoints + 1L) + 2 * generatorBytes + recordBytes;
    }
}
