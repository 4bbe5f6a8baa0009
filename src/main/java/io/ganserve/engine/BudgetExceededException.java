package io.ganserve.engine;

/** Work whose estimated memory exceeds the whole budget: it can never run here, however long it waits. */
public final class BudgetExceededException extends RuntimeException {

    private final String pool;
    private final long estimateBytes;
    private final long budgetBytes;

    public BudgetExceededException(String what, String pool, long estimateBytes, long budgetBytes) {
        super(what + " needs about " + Bytes.format(estimateBytes) + " of " + pool + " memory, more than this "
                + "service's whole " + pool + " budget of " + Bytes.format(budgetBytes)
                + " (ganserve.resources, see the docs' budget model); ask for less");
        this.pool = pool;
        this.estimateBytes = estimateBytes;
        this.budgetBytes = budgetBytes;
    }

    public String pool() {
        return pool;
    }

    public long estimateBytes() {
        return estimateBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }
}
