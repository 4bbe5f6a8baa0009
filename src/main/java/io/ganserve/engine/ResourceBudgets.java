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
 * The process's two memory pools. Native memory (libtorch's tensors) is what the kernel kills a
 * process for, so its budget is the memory limit less the heap and the baseline; the heap's own
 * cap is the JVM's, so requests get a share of it.
 *
 * <pre>
 * native budget = memory limit − max heap − native baseline
 * heap budget   = max heap × heap share
 * </pre>
 */
public final class ResourceBudgets {

    private static final Logger log = LoggerFactory.getLogger(ResourceBudgets.class);
    /** Below this the service could not even load a model; a misconfiguration, said at start. */
    private static final long MIN_NATIVE = 64L << 20;

    private final MemoryBudget nativeMemory;
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
        this.nativeMemory = new MemoryBudget("native", nativeBytes);
        this.heap = new MemoryBudget("heap", (long) (maxHeap * properties.heapShare()));
        this.wait = properties.requestWait();
        this.retryAfter = properties.retryAfter();
        log.info("memory limit {} ({}): native work budget {}, request heap budget {} (max heap {})",
                Bytes.format(memoryLimit), limitSource, Bytes.format(nativeMemory.capacityBytes()),
                Bytes.format(heap.capacityBytes()), Bytes.format(maxHeap));
    }

    /** Budgets of the given sizes, for tests and tools that need no detection. */
    public static ResourceBudgets of(long nativeBytes, long heapBytes, Duration wait) {
        return new ResourceBudgets(new MemoryBudget("native", nativeBytes), new MemoryBudget("heap", heapBytes),
                wait, Duration.ofSeconds(1), nativeBytes + heapBytes, "given");
    }

    private ResourceBudgets(MemoryBudget nativeMemory, MemoryBudget heap, Duration wait, Duration retryAfter,
                            long memoryLimit, String limitSource) {
        this.nativeMemory = nativeMemory;
        this.heap = heap;
        this.wait = wait;
        this.retryAfter = retryAfter;
        this.memoryLimit = memoryLimit;
        this.limitSource = limitSource;
    }

    public MemoryBudget nativeMemory() {
        return nativeMemory;
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
     * Reserves native and heap memory together for a request, waiting at most the configured time
     * for each; on failure nothing stays reserved.
     */
    public Both reserveForRequest(long nativeBytes, long heapBytes, String what) {
        MemoryBudget.Reservation n = nativeMemory.reserve(nativeBytes, wait, what);
        try {
            return new Both(n, heap.reserve(heapBytes, wait, what));
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    /** A native and a heap reservation, given back together. */
    public record Both(MemoryBudget.Reservation nativeMemory, MemoryBudget.Reservation heap) implements AutoCloseable {
        @Override
        public void close() {
            heap.close();
            nativeMemory.close();
        }
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
