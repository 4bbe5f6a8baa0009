package io.ganserve.sampling;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.ganserve.data.DataKind;
import io.ganserve.gan.GanModelZoo;
import io.ganserve.gan.NetworkSpec;
import io.ganserve.registry.ModelInfo;
import io.ganserve.registry.TrainingConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/** Generators for serving tests, loaded as the service loads a stored one, without training them. */
final class FreshSnapshots {

    private FreshSnapshots() {}

    /**
     * A freshly initialised DCGAN generator of {@code spec} as a one-step "fashion-mnist" job's,
     * {@code beforeSaving} applied to its weights first; the snapshot lives on {@code engine}.
     */
    static GeneratorSnapshot dcgan(NetworkSpec spec, NDManager engine, Consumer<Block> beforeSaving) throws IOException {
        TrainingConfig config = TrainingConfig.builder("fashion-mnist").steps(1).batchSize(8)
                .latentDim(spec.latentDim()).seed(1).checkpointEvery(1).build();
        ModelInfo info = new ModelInfo("dcgan", "fashion-mnist", DataKind.IMAGES, config, spec, 1, Instant.now());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NDManager m = engine.newSubManager()) {
            Block generator = GanModelZoo.generator(spec, m);
            beforeSaving.accept(generator);
            generator.saveParameters(new DataOutputStream(bytes));
        }
        return GeneratorSnapshot.load(info, 1, engine, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
