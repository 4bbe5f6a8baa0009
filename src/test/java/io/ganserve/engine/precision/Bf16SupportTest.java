package io.ganserve.engine.precision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** Reading a device's bfloat16 arithmetic from what the host reports. */
class Bf16SupportTest {

    /** The head of a Sapphire Rapids core's entry, flags trimmed. */
    private static final String SAPPHIRE_RAPIDS = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Platinum 8480+
            flags\t\t: fpu vme sse sse2 avx avx2 avx512f avx512bw avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8
            bugs\t\t: spectre_v1
            """;
    /** Skylake-SP: AVX-512, but no bfloat16 instructions. */
    private static final String SKYLAKE = """
            processor\t: 0
            flags\t\t: fpu sse sse2 avx avx2 avx512f avx512bw avx512cd avx512vl avx512_vnni
            """;

    @Test
    void aCpuHasNativeBfloat16WithEitherInstructionSet() {
        assertThat(Bf16Support.cpuFlagsHaveBf16(SAPPHIRE_RAPIDS)).isTrue();
        assertThat(Bf16Support.cpuFlagsHaveBf16("flags\t: sse avx512_bf16\n")).as("Cooper Lake, Zen 4").isTrue();
        assertThat(Bf16Support.cpuFlagsHaveBf16("flags\t: sse amx_bf16 amx_tile\n")).isTrue();
        assertThat(Bf16Support.cpuFlagsHaveBf16(SKYLAKE)).isFalse();
    }

    @Test
    void aFlagMustBeWholeAndOnTheFlagsLine() {
        assertThat(Bf16Support.cpuFlagsHaveBf16("flags\t: avx512_bf16x avx512bf16\n")).isFalse();
        assertThat(Bf16Support.cpuFlagsHaveBf16("model name\t: avx512_bf16 emulator\nflags\t: sse\n")).isFalse();
        assertThat(Bf16Support.cpuFlagsHaveBf16("")).isFalse();
        assertThat(Bf16Support.cpuFlagsHaveBf16(null)).as("not Linux: no /proc/cpuinfo").isFalse();
    }

    @Test
    void aGpuHasItFromAmpere() {
        assertThat(Bf16Support.capabilityHasBf16("80")).as("A100").isTrue();
        assertThat(Bf16Support.capabilityHasBf16("86")).as("RTX 30").isTrue();
        assertThat(Bf16Support.capabilityHasBf16("90")).as("H100").isTrue();
        assertThat(Bf16Support.capabilityHasBf16("100")).as("B200, capability 10.0").isTrue();
        assertThat(Bf16Support.capabilityHasBf16("75")).as("T4").isFalse();
        assertThat(Bf16Support.capabilityHasBf16("70")).as("V100").isFalse();
        assertThat(Bf16Support.capabilityHasBf16(null)).isFalse();
        assertThat(Bf16Support.capabilityHasBf16("n/a")).isFalse();
    }

    @Test
    void eachDeviceIsAnsweredByItsOwnKind() {
        Bf16Support cpuOnly = Bf16Support.of(true, false);
        assertThat(cpuOnly.isNative(Device.cpu())).isTrue();
        assertThat(cpuOnly.isNative(Device.gpu())).isFalse();
        Bf16Support gpuOnly = Bf16Support.of(false, true);
        assertThat(gpuOnly.isNative(Device.cpu())).isFalse();
        assertThat(gpuOnly.isNative(Device.gpu(1))).isTrue();
    }

    @Test
    void askingAboutAGpuTheHostLacksAnswersFalseRatherThanThrowing() {
        boolean answer = Bf16Support.detect().isNative(Device.gpu(7));
        if (ai.djl.util.cuda.CudaUtils.getGpuCount() < 8) {
            assertThat(answer).isFalse();
        }
    }
}
