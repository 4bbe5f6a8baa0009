package io.ganserve.sampling.render;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * The backing arrays of the two pictures the service draws, for code that writes or reads their
 * pixels directly instead of one raster call per pixel. Each answers only for a raster that is a
 * whole picture's own (no sub-image) in exactly that layout, row after row with no gaps; null for
 * anything else, which the caller then handles through the raster.
 */
final class PixelBuffers {

    /** {@code TYPE_INT_RGB}'s packing: red, green, blue from the high byte down. */
    private static final int[] RGB_MASKS = {0xff0000, 0xff00, 0xff};

    private PixelBuffers() {}

    /** 8-bit grey, one byte per pixel ({@code TYPE_BYTE_GRAY}'s layout). */
    static byte[] grey(WritableRaster raster) {
        if (whole(raster) && raster.getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel model && model.getNumBands() == 1
                && model.getPixelStride() == 1 && model.getScanlineStride() == raster.getWidth()) {
            return buffer.getData();
        }
        return null;
    }

    /** RGB packed into one int per pixel ({@code TYPE_INT_RGB}'s layout). */
    static int[] rgb(WritableRaster raster) {
        if (whole(raster) && raster.getDataBuffer() instanceof DataBufferInt buffer && buffer.getNumBanks() == 1
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == raster.getWidth() && Arrays.equals(model.getBitMasks(), RGB_MASKS)) {
            return buffer.getData();
        }
        return null;
    }

    private static boolean whole(WritableRaster raster) {
        return raster.getParent() == null && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0 && raster.getDataBuffer().getOffset() == 0;
    }
}
