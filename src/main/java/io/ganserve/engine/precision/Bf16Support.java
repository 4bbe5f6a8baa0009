package io.ganserve.engine.precision;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * Whether a device multiplies bfloat16 natively, which is when {@link Precision#BFLOAT16} can pay:
 * elsewhere libtorch emulates it through float32 and the casts are pure cost. A CPU does with the
 * AVX-512 BF16 or AMX-BF16 instructions (Cooper Lake, Sapphire Rapids and later Xeons; Zen 4 and
 * later), read from {@code /proc/cpuinfo}'s flags on Linux and taken as absent elsewhere; an NVIDIA
 * GPU does from compute capability 8.0 (Ampere) on.
 */
public final class Bf16Support {

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Pattern FLAGS = Pattern.compile("(?m)^flags\\s*:(.*)$");
    /** Ampere (8.0) brought bfloat16 tensor cores; Volta and Turing have none. */
    private static final int FIRST_BF16_CAPABILITY = 80;

    private final boolean cpu;
    private final IntPredicate gpu;
    private final Map<Integer, Boolean> gpus = new ConcurrentHashMap<>();

    private Bf16Support(boolean cpu, IntPredicate gpu) {
        this.cpu = cpu;
        this.gpu = gpu;
    }

    /** This host: its CPU's flags, read now, and each GPU's compute capability, asked once when first needed. */
    public static Bf16Support detect() {
        return new Bf16Support(cpuFlagsHaveBf16(readCpuInfo()), Bf16Support::cudaHasBf16);
    }

    /** A host whose CPU and every GPU answer as given (tests). */
    public static Bf16Support of(boolean cpu, boolean gpu) {
        return new Bf16Support(cpu, id -> gpu);
    }

    /** Whether {@code device} multiplies bfloat16 natively. */
    public boolean isNative(Device device) {
        if (!device.isGpu()) {
            return cpu;
        }
        return gpus.computeIfAbsent(device.getDeviceId(), gpu::test);
    }

    /**
     * Whether {@code /proc/cpuinfo}'s text names a bfloat16 instruction set in a {@code flags} line
     * (the first processor's: the cores of one machine share them). Null or no flags line: false.
     */
    public static boolean cpuFlagsHaveBf16(String cpuInfo) {
        if (cpuInfo == null) {
            return false;
        }
        var m = FLAGS.matcher(cpuInfo);
        if (!m.find()) {
            return false;
        }
        for (String flag : m.group(1).strip().split("\\s+")) {
            if (flag.equals("avx512_bf16") || flag.equals("amx_bf16")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a compute capability as CUDA writes it ({@code "86"}: major then minor digit) is 8.0 or later. */
    public static boolean capabilityHasBf16(String capability) {
        if (capability == null || !capability.strip().matches("\\d{2,3}")) {
            return false;
        }
        return Integer.parseInt(capability.strip()) >= FIRST_BF16_CAPABILITY;
    }

    private static boolean cudaHasBf16(int deviceId) {
        try {
            return capabilityHasBf16(CudaUtils.getComputeCapability(deviceId));
        } catch (RuntimeException | LinkageError e) {
            return false; // no CUDA runtime, or no such device: nothing here multiplies bfloat16
        }
    }

    private static String readCpuInfo() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            return Files.readString(CPU_INFO);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
