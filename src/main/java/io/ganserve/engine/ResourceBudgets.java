package io.ganserve.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's memory pools. Native memory (libtorch's tensors) is what the kernel kills a
 * process for, so its budget is the memory limit less the heap and the baseline; the heap's own
 * cap is the JVM's, so requests get a share of it.
 *
 * <p>The native budget is split in two lanes that never wait for each other: requests (their
 * generator passes and the generators loaded to serve them), which hold memory for seconds, and
 * background work (training jobs, evaluations), which holds it for minutes to days. In one
 * first-come-first-served pool, an evaluation waiting for a job's memory held up every request
 * queued behind it until they timed out.
 *
 * <pre>
 * native budget   = memory limit − max heap − native baseline
 * request lane    = native budget × request share
 * background lane = native budget − request lane
 * heap budget     = max heap × heap share
 * </pre>
 */
public final class ResourceBudgets {

    private static final Logger log = LoggerFactory.getLogger(ResourceBudgets.class);
    /** The pools' names, as messages, problem details and the {@code pool} tag of the metrics show them. */
    public static final String REQUESTS = "native-requests";
    public static final String BACKGROUND = "native-background";
    /** Below this the service could not even load a model; a misconfiguration, said at start. */
    private static final long MIN_NATIVE = 64L << 20;

    private final MemoryBudget requestMemory;
    private final MemoryBudget backgroundMemory;
    private final MemoryBudget heap;
    private final Duration wait;
    private final Duration retryAfter;
    private final long memoryLimit;
    private final String limitSource;

    public ResourceBudgets(ResourceProperties properties) {
        this(properties, Runtime.getRuntime().maxMemory());
    }

    ResourceBudgets(ResourceProperties properties, long maxHeap) {
        Optional<Long> container = containerLimit();
        long configured = properties.memoryLimit().toBytes();
        if (configured > 0) {
            memoryLimit = configured;
            limitSource = "ganserve.resources.memory-limit";
        } else if (container.isPresent()) {
            memoryLimit = container.get();
            limitSource = "the container's memory limit";
        } else {
            memoryLimit = physicalMemory();
            limitSource = "the machine's memory";
        }
        long nativeBytes = memoryLimit - maxHeap - properties.nativeBaseline().toBytes();
        if (nativeBytes < MIN_NATIVE) {
            throw new IllegalStateException("the memory limit " + Bytes.format(memoryLimit) + " (" + limitSource
                    + ") leaves " + Bytes.format(nativeBytes) + " for native work after the heap ("
                    + Bytes.format(maxHeap) + ", -Xmx) and the native baseline (" + Bytes.format(properties
                    .nativeBaseline().toBytes()) + "); raise the limit or lower -Xmx");
        }
        long requestBytes = (long) (nativeBytes * properties.requestShare());
        this.requestMemory = new MemoryBudget(REQUESTS, requestBytes);
        this.backgroundMemory = new MemoryBudget(BACKGROUND, nativeBytes - requestBytes);
        this.heap = new MemoryBudget("heap", (long) (maxHeap * properties.heapShare()));
        this.wait = properties.requestWait();
        this.retryAfter = properties.retryAfter();
        log.info("memory limit {} ({}): native budget {} (requests {}, jobs and evaluations {}), request heap budget {}"
                        + " (max heap {})", Bytes.format(memoryLimit), limitSource, Bytes.format(nativeBytes),
                Bytes.format(requestMemory.capacityBytes()), Bytes.format(backgroundMemory.capacityBytes()),
                Bytes.format(heap.capacityBytes()), Bytes.format(maxHeap));
    }

    /** Budgets of the given sizes (each native lane {@code nativeBytes}), for tests and tools that need no detection. */
    public static ResourceBudgets of(long nativeBytes, long heapBytes, Duration wait) {
        return new ResourceBudgets(new MemoryBudget(REQUESTS, nativeBytes), new MemoryBudget(BACKGROUND, nativeBytes),
                new MemoryBudget("heap", heapBytes), wait, Duration.ofSeconds(1), 2 * nativeBytes + heapBytes, "given");
    }

    private ResourceBudgets(MemoryBudget requestMemory, MemoryBudget backgroundMemory, MemoryBudget heap, Duration wait,
                            Duration retryAfter, long memoryLimit, String limitSource) {
        this.requestMemory = requestMemory;
        this.backgroundMemory = backgroundMemory;
        this.heap = heap;
        this.wait = wait;
        this.retryAfter = retryAfter;
        this.memoryLimit = memoryLimit;
        this.limitSource = limitSource;
    }

    /** Native memory for requests: their generator passes and the generators loaded to serve them. */
    public MemoryBudget requestMemory() {
        return requestMemory;
    }

    /** Native memory for background work: training jobs and evaluations. */
    public MemoryBudget backgroundMemory() {
        return backgroundMemory;
    }

    /** Every pool, for metrics. */
    public java.util.List<MemoryBudget> pools() {
        return java.util.List.of(requestMemory, backgroundMemory, heap);
    }

    public MemoryBudget heap() {
        return heap;
    }

    /** How long a request waits for memory before it is turned away. */
    public Duration requestWait() {
        return wait;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public long memoryLimit() {
        return memoryLimit;
    }

    /** Where the memory limit came from, for the start-up log and the docs. */
    public String limitSource() {
        return limitSource;
    }

    /**
     * Admits a request: reserves its heap (the outputs, their rendering) for as long as it runs,
     * waiting at most the configured time. Its native memory is not held here but by each generator
     * pass, on the inference thread that runs it ({@link #requestMemory()}): a request waiting for
     * a thread, or rendering, holds none.
     *
     * @param nativeBytes what one generator pass of the request will reserve; refused now if it could never fit
     * @throws BudgetExceededException when either part exceeds its whole pool
     * @throws BudgetBusyException when the heap stayed too full for the wait
     */
    public MemoryBudget.Reservation admitRequest(long nativeBytes, long heapBytes, String what) {
        requestMemory.checkCanEverFit(nativeBytes, what);
        return heap.reserve(heapBytes, wait, what);
    }

    /** cgroup v2's memory.max, or v1's limit; absent outside a container or when unlimited. */
    static Optional<Long> containerLimit() {
        for (String file : new String[] {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
            try {
                String text = Files.readString(Path.of(file)).trim();
                if (!text.equals("max")) {
                    long limit = Long.parseLong(text);
                    // v1 reports "unlimited" as a number near 2^63
                    if (limit > 0 && limit < physicalMemory()) {
                        return Optional.of(limit);
                    }
                }
            } catch (IOException | NumberFormatException | SecurityException absent) {
                // not this cgroup version, or not in a container
            }
        }
        return Optional.empty();
    }

    private static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
