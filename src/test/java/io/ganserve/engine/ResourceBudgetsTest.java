package io.ganserve.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ResourceBudgetsTest {

    private static final long MIB = 1 << 20;

    private static ResourceBudgets threeGigabytes() {
        ResourceProperties properties = new ResourceProperties(DataSize.ofGigabytes(3), DataSize.ofGigabytes(1), 0.5,
                0.2, Duration.ofMillis(100), Duration.ofSeconds(2), DataSize.ofMegabytes(256));
        return new ResourceBudgets(properties, 768 * MIB);
    }

    @Test
    void theNativeBudgetIsSplitIntoARequestLaneAndABackgroundLane() {
        ResourceBudgets budgets = threeGigabytes();
        // 3 GiB − 768 MiB heap − 1 GiB baseline = 1,280 MiB: a fifth for requests, the rest for jobs and evaluations
        assertThat(budgets.requestMemory().capacityBytes()).isEqualTo(256 * MIB);
        assertThat(budgets.backgroundMemory().capacityBytes()).isEqualTo(1024 * MIB);
        assertThat(budgets.heap().capacityBytes()).isEqualTo(384 * MIB);
        assertThat(budgets.pools()).extracting(MemoryBudget::name)
                .containsExactly("native-requests", "native-background", "heap");
    }

    /**
     * In one first-come-first-served pool, an evaluation waiting behind a training job held up
     * every request queued after it; in its own lane it waits alone.
     */
    @Test
    void backgroundWorkWaitingForMemoryNeverHoldsUpARequest() throws Exception {
        ResourceBudgets budgets = threeGigabytes();
        MemoryBudget background = budgets.backgroundMemory();
        try (MemoryBudget.Reservation job = background.reserve(900 * MIB, Duration.ZERO, "training job")) {
            CompletableFuture<MemoryBudget.Reservation> evaluation = CompletableFuture.supplyAsync(
                    () -> background.reserve(500 * MIB, Duration.ofSeconds(30), "evaluation"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!background.hasWaiters() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(background.hasWaiters()).as("the evaluation waits").isTrue();
            try (MemoryBudget.Reservation pass = budgets.requestMemory().reserve(200 * MIB, Duration.ZERO, "request");
                 MemoryBudget.Reservation heap = budgets.admitRequest(200 * MIB, 300 * MIB, "request")) {
                assertThat(pass.bytes() + heap.bytes()).isEqualTo(500 * MIB);
            }
            job.close();
            evaluation.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aRequestWhosePassCouldNeverFitItsLaneIsRefusedAtAdmissionHoldingNothing() {
        ResourceBudgets budgets = threeGigabytes();
        assertThatThrownBy(() -> budgets.admitRequest(257 * MIB, MIB, "1024 outputs of job j"))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.pool()).isEqualTo("native-requests");
                    assertThat(e.budgetBytes()).isEqualTo(256 * MIB);
                    assertThat(e.getMessage()).contains("1024 outputs of job j");
                });
        assertThat(budgets.requestMemory().refusals()).isEqualTo(1);
        assertThat(budgets.heap().reservedBytes()).isZero();
    }
}
