package io.ganserve.engine;

/** Work that fits the budget, but not now: others hold the memory it needs. Worth retrying soon. */
public final class BudgetBusyException extends RuntimeException {

    private final long estimateBytes;
    private final long budgetBytes;

    public BudgetBusyException(String what, String pool, long estimateBytes, long freeBytes, long budgetBytes) {
        super(what + " needs about " + Bytes.format(estimateBytes) + " of " + pool + " memory and only "
                + Bytes.format(Math.max(0, freeBytes)) + " of the " + Bytes.format(budgetBytes)
                + " budget is free now; retry shortly");
        this.estimateBytes = estimateBytes;
        this.budgetBytes = budgetBytes;
    }

    public long estimateBytes() {
        return estimateBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }
}
