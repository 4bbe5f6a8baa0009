package io.ganserve.data;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ganserve.datasets.upload.*}: the limits {@code POST /datasets} enforces. Spring's multipart
 * limits ({@code spring.servlet.multipart.*}) are derived from {@code maxUploadBytes} in
 * application.yml, so an oversized request is cut off while it streams in.
 *
 * @param maxUploadBytes the uploaded file as sent
 * @param maxEntries zip entries, folders and skipped files included
 * @param maxUncompressedBytes bytes inflated from one upload in all (a zip bomb stops here)
 * @param maxImages images in one dataset; 100,000 leaves room for MNIST's 60,000
 * @param maxImageSide the largest width or height of an image, read from its header before its pixels
 * @param maxDecodedBytesPerImage one image's decoded pixels (width x height x channels x bytes per channel),
 *     read from its header before its pixels; 64MB takes a 4096 x 4096 8-bit RGBA image
 * @param maxDecodedBytes the decoded pixels of all the images of one upload together
 */
@Validated
@ConfigurationProperties("ganserve.datasets.upload")
public record DatasetUploadProperties(
        @DefaultValue("64MB") DataSize maxUploadBytes,
        @DefaultValue("20000") @Min(1) int maxEntries,
        @DefaultValue("512MB") DataSize maxUncompressedBytes,
        @DefaultValue("100000") @Min(1) int maxImages,
        @DefaultValue("4096") @Min(1) @Max(65535) int maxImageSide,
        @DefaultValue("64MB") DataSize maxDecodedBytesPerImage,
        @DefaultValue("1GB") DataSize maxDecodedBytes) {

    public UploadLimits limits() {
        return new UploadLimits(maxUploadBytes.toBytes(), maxEntries, maxUncompressedBytes.toBytes(), maxImages,
                maxImageSide, maxDecodedBytesPerImage.toBytes(), maxDecodedBytes.toBytes());
    }
}
