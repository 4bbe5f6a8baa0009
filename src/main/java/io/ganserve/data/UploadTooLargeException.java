package io.ganserve.data;

/** The uploaded file itself is bigger than {@code ganserve.datasets.upload.max-upload-bytes}. */
public class UploadTooLargeException extends InvalidUploadException {

    public UploadTooLargeException(String field, String rule) {
        super(field, rule);
    }
}
