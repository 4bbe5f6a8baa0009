package io.ganserve.engine;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code ganserve.resources.*}: the memory and disk the service may spend on work. See
 * {@link ResourceBudgets} for how the budgets follow from these.
 *
 * @param memoryLimit the whole process's memory, heap included; 0 means the container's limit
 *     (cgroup) or, outside a container, the machine's memory
 * @param nativeBaseline what the process holds before any work: libtorch's code and its thread
 *     pools, the JVM's metaspace, code cache and thread stacks
 * @param heapShare the share of the Java heap that requests may hold at once (rendering, JSON);
 *     the rest is left to the framework, datasets and caches
 * @param requestShare the share of the native budget kept for sampling requests and the
 *     generators loaded to serve them; jobs and evaluations share the rest, so that a large job or
 *     evaluation waiting for memory never holds up a request, nor a stream of requests a job
 * @param requestWait how long a request waits for memory that others hold before it is answered 503
 * @param retryAfter what a 503 or 429 for memory tells the client to wait
 * @param minFreeDisk free space the data directory keeps after a job's planned files
 */
@ConfigurationProperties("ganserve.resources")
public record ResourceProperties(
        @DefaultValue("0") DataSize memoryLimit,
        @DefaultValue("1GB") DataSize nativeBaseline,
        @DefaultValue("0.5") double heapShare,
        @DefaultValue("0.2") double requestShare,
        @DefaultValue("2s") Duration requestWait,
        @DefaultValue("2s") Duration retryAfter,
        @DefaultValue("256MB") DataSize minFreeDisk) {

    public ResourceProperties {
        if (heapShare <= 0 || heapShare > 1) {
            throw new IllegalArgumentException("ganserve.resources.heap-share must be in (0, 1], was " + heapShare);
        }
        if (requestShare <= 0 || requestShare >= 1) {
            throw new IllegalArgumentException("ganserve.resources.request-share must be in (0, 1), was " + requestShare);
        }
    }
}
