package io.ganserve.jobs;

import ai.djl.Device;
import io.ganserve.engine.precision.Bf16Support;
import io.ganserve.engine.precision.Precision;
import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.gan.Architecture;
import io.ganserve.registry.DeviceKind;
import java.util.function.Predicate;

/**
 * What a job's precision is resolved against: the service default ({@code ganserve.engine.precision})
 * and whether the device a job trains on multiplies bfloat16 natively. The rule itself is
 * {@link JobDefaults#precision}.
 *
 * @param service the precision of a job that names none
 * @param nativeBf16 whether the device of a job's {@code device} field has native bfloat16 arithmetic
 */
public record PrecisionDefaults(PrecisionChoice service, Predicate<DeviceKind> nativeBf16) {

    /** A host without native bfloat16 and the default {@code auto}: a job trains in float32 unless it asks otherwise. */
    public static final PrecisionDefaults FLOAT32_HOST = new PrecisionDefaults(PrecisionChoice.AUTO, device -> false);

    /**
     * This host's: {@code device auto} is the service's own device, {@code gpu} the first GPU.
     */
    public static PrecisionDefaults of(PrecisionChoice service, Bf16Support hardware, Device serviceDevice) {
        return new PrecisionDefaults(service, kind -> hardware.isNative(switch (kind) {
            case AUTO -> serviceDevice;
            case CPU -> Device.cpu();
            case GPU -> Device.gpu();
        }));
    }

    /** A job's precision: what it asked for (null: nothing), for its architecture on its device. */
    public Precision resolve(PrecisionChoice asked, Architecture architecture, DeviceKind device) {
        return JobDefaults.precision(asked, service, Architecture.convolutional(architecture), nativeBf16.test(device));
    }

    /** An encoder run's (always a convolutional network, on the service's device). */
    public Precision forEncoder() {
        return JobDefaults.precision(null, service, true, nativeBf16.test(DeviceKind.AUTO));
    }
}
