package io.ganserve.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final long MIB = 1 << 20;

    @Test
    void workLargerThanThePoolIsRefusedAtOnceNamingEstimateAndBudget() {
        MemoryBudget budget = new MemoryBudget("native", 100 * MIB);
        assertThat(budget.canEverFit(100 * MIB)).isTrue();
        assertThat(budget.canEverFit(100 * MIB + 1)).isFalse();
        assertThatThrownBy(() -> budget.reserve(200 * MIB, Duration.ofMinutes(1), "this job"))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.estimateBytes()).isEqualTo(200 * MIB);
                    assertThat(e.budgetBytes()).isEqualTo(100 * MIB);
                    assertThat(e.getMessage()).contains("this job", "200.0 MiB", "100.0 MiB");
                });
        assertThat(budget.reservedBytes()).isZero();
        assertThat(budget.refusals()).isEqualTo(1);
    }

    @Test
    void workThatFitsButNotNowIsTurnedAwayAfterTheWaitAndAdmittedOnceMemoryIsBack() {
        MemoryBudget budget = new MemoryBudget("native", 100 * MIB);
        MemoryBudget.Reservation held = budget.reserve(70 * MIB, Duration.ZERO, "first");
        assertThat(budget.reservedBytes()).isEqualTo(70 * MIB);
        assertThatThrownBy(() -> budget.reserve(40 * MIB, Duration.ofMillis(50), "second"))
                .isInstanceOf(BudgetBusyException.class)
                .hasMessageContaining("30.0 MiB");
        held.close();
        held.close(); // a second close gives nothing back twice
        assertThat(budget.reservedBytes()).isZero();
        try (MemoryBudget.Reservation second = budget.reserve(40 * MIB, Duration.ZERO, "second")) {
            assertThat(budget.reservedBytes()).isEqualTo(40 * MIB);
        }
        assertThat(budget.reservedBytes()).isZero();
    }

    /** A large waiter (a training job) is not overtaken by small requests arriving after it. */
    @Test
    void aLargeWaiterIsServedBeforeSmallerWorkThatCameLater() throws Exception {
        MemoryBudget budget = new MemoryBudget("native", 100 * MIB);
        MemoryBudget.Reservation held = budget.reserve(60 * MIB, Duration.ZERO, "request");
        CompletableFuture<MemoryBudget.Reservation> job = CompletableFuture.supplyAsync(
                () -> budget.reserve(90 * MIB, Duration.ofSeconds(30), "job"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.refusals() == 0 && !job.isDone() && System.nanoTime() < deadline && !queued(budget)) {
            Thread.onSpinWait();
        }
        assertThat(queued(budget)).as("the job waits").isTrue();
        // 40 MiB are free, but the job is first in line
        assertThatThrownBy(() -> budget.reserve(10 * MIB, Duration.ofMillis(50), "later request"))
                .isInstanceOf(BudgetBusyException.class);
        held.close();
        try (MemoryBudget.Reservation granted = job.get(10, TimeUnit.SECONDS)) {
            assertThat(granted.bytes()).isEqualTo(90 * MIB);
        }
    }

    private static boolean queued(MemoryBudget budget) {
        return budget.hasWaiters();
    }
}
