package io.ganserve.metrics;

import io.ganserve.engine.EngineInfo;
import io.ganserve.sampling.ServingModels;
import org.springframework.beans.factory.ObjectProvider;
import io.ganserve.engine.MemoryBudget;
import io.ganserve.engine.ResourceBudgets;
import io.micrometer.core.instrument.FunctionCounter;
import java.util.List;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The engine and its memory. Native memory is what the JVM's own metrics miss: libtorch tensors
 * live off-heap, so a leak shows in the process's resident size, not in the heap.
 */
@Component
public class EngineMetrics {

    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_SIZE = 4096;

    public EngineMetrics(MeterRegistry registry, EngineInfo engine, ObjectProvider<ServingModels> serving,
                         ResourceBudgets budgets) {
        for (MemoryBudget pool : budgets.pools()) {
            Gauge.builder("gan.memory.budget", pool, MemoryBudget::capacityBytes)
                    .description("memory that work may reserve (jobs, sampling requests, evaluations)")
                    .tag("pool", pool.name()).baseUnit("bytes").register(registry);
            Gauge.builder("gan.memory.reserved", pool, MemoryBudget::reservedBytes)
                    .description("memory reserved by work running now")
                    .tag("pool", pool.name()).baseUnit("bytes").register(registry);
            FunctionCounter.builder("gan.memory.refusals", pool, MemoryBudget::refusals)
                    .description("work refused for memory: it could never fit, or did not fit in time")
                    .tag("pool", pool.name()).register(registry);
        }
        Gauge.builder("gan.engine.info", () -> 1)
                .description("the deep-learning engine and the device it runs on")
                .tags("engine", engine.name(), "version", engine.version(), "device", engine.deviceType())
                .register(registry);
        // Counted from sizes recorded at load: walking live arrays from this thread would race with
        // the threads that free them (a use-after-free in libtorch, seen as a crash).
        Gauge.builder("gan.engine.ndarray", serving, s -> s.getObject().heldBytes())
                .description("native memory held by the generators loaded for serving; training state shows in the resident size")
                .strongReference(true)
                .baseUnit("bytes")
                .register(registry);
        if (engine.device().isGpu()) {
            // only where a GPU serves: the CUDA query fails on a machine without a driver
            Gauge.builder("gan.engine.gpu.memory.used", engine,
                            e -> ai.djl.util.cuda.CudaUtils.getGpuMemory(e.device()).getUsed())
                    .description("GPU memory in use on the engine's device")
                    .baseUnit("bytes")
                    .register(registry);
        }
        Gauge.builder("gan.process.resident.memory", EngineMetrics::residentBytes)
                .description("resident set size of the whole process, heap and native")
                .baseUnit("bytes")
                .register(registry);
    }

    public static double residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return Double.NaN; // not Linux
        }
    }
}
