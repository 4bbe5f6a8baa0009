package io.ganserve.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.ganserve.gan.NetworkSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrent requests' generator passes run as one forward and are split again, each request getting its own. */
class BatchedPassesTest {

    /** Records the batches that formed. */
    private static final class Batches implements SamplingEvents {
        final List<Integer> requests = new CopyOnWriteArrayList<>();

        @Override
        public void batchRun(int count, int samples) {
            requests.add(count);
        }
    }

    @Test
    void requestsQueuedBehindARunningPassRunTogetherAndEachGetsItsOwnOutputs() throws Exception {
        Batches batches = new Batches();
        BatchedPasses passes = new BatchedPasses("j", 2, 2, new Batching(Duration.ZERO, 64, 64), batches);
        CountDownLatch release = new CountDownLatch(1);
        BatchedPasses.Forward doubled = (rows, n) -> {
            try {
                release.await(10, TimeUnit.SECONDS); // the first passes hold the threads while the rest queue
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[] out = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                out[i] = rows[i] * 2;
            }
            return out;
        };
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> answers = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                float v = c + 1;
                float[] input = {v, -v, 10 * v, -10 * v}; // two rows of two
                answers.add(clients.submit(() -> passes.run(input, 2, doubled)));
            }
            Thread.sleep(300);
            release.countDown();
            for (int c = 0; c < 8; c++) {
                float v = c + 1;
                assertThat(answers.get(c).get(10, TimeUnit.SECONDS)).containsExactly(2 * v, -2 * v, 20 * v, -20 * v);
            }
        } finally {
            clients.shutdownNow();
        }
        System.out.println("requests per pass: " + batches.requests);
        assertThat(batches.requests.stream().mapToInt(Integer::intValue).sum()).isEqualTo(8);
        assertThat(batches.requests).as("requests that queued behind the running passes ran together")
                .anyMatch(r -> r > 1);
    }

    @Test
    void beyondTheQueueBoundARequestIsTurnedAwayAtOnce() throws Exception {
        BatchedPasses passes = new BatchedPasses("j", 1, 1, new Batching(Duration.ZERO, 1, 64), SamplingEvents.NONE);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<float[]> first = client.submit(() -> passes.run(new float[] {1}, 1, (rows, n) -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return rows;
            }));
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> passes.run(new float[] {2}, 1, (rows, n) -> rows))
                    .isInstanceOf(InferenceQueueFullException.class).hasMessageContaining("job j");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly(1f);
            assertThat(passes.run(new float[] {3}, 1, (rows, n) -> rows)).containsExactly(3f);
        } finally {
            client.shutdownNow();
        }
    }

    /** A DCGAN's batched forward equals each request's own forward to 1e-5 (batch norm runs in inference mode). */
    @Test
    void aBatchedDcganForwardEqualsTheUnbatchedOnePerRequest() throws Exception {
        Engine.getInstance();
        NetworkSpec spec = NetworkSpec.dcgan(16, List.of(1, 28, 28), 8);
        try (NDManager engine = NDManager.newBaseManager()) {
            GeneratorSnapshot snapshot = FreshSnapshots.dcgan(spec, engine, generator -> { });
            int requests = 6;
            int n = 5;
            float[][] latents = new float[requests][];
            Random random = new Random(3);
            for (int r = 0; r < requests; r++) {
                latents[r] = new float[n * 16];
                for (int i = 0; i < latents[r].length; i++) {
                    latents[r][i] = (float) random.nextGaussian();
                }
            }
            snapshot.batchedBy(new Batching(Duration.ZERO, 64, 1), SamplingEvents.NONE); // every request alone
            float[][] alone = new float[requests][];
            for (int r = 0; r < requests; r++) {
                alone[r] = snapshot.generate(latents[r], n);
            }
            Batches batches = new Batches();
            snapshot.batchedBy(new Batching(Duration.ofSeconds(1), 64, 64), batches);
            ExecutorService clients = Executors.newFixedThreadPool(requests);
            try {
                List<Future<float[]>> together = new ArrayList<>();
                for (int r = 0; r < requests; r++) {
                    float[] z = latents[r];
                    together.add(clients.submit(() -> snapshot.generate(z, n)));
                }
                for (int r = 0; r < requests; r++) {
                    float[] got = together.get(r).get(60, TimeUnit.SECONDS);
                    assertThat(got).hasSameSizeAs(alone[r]);
                    for (int i = 0; i < got.length; i++) {
                        assertThat(got[i]).isCloseTo(alone[r][i], within(1e-5f));
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            System.out.println("requests per pass: " + batches.requests);
            assertThat(batches.requests).anyMatch(count -> count > 1);
            snapshot.release();
        }
    }
}
