package io.ganserve.engine;

import java.util.Locale;

/** Byte counts as people read them in messages: 1.5 GiB, 320.0 MiB. */
public final class Bytes {

    private Bytes() {}

    public static String format(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
