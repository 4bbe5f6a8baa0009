package io.ganserve.inversion;

import io.ganserve.data.InvalidUploadException;

/** An uploaded image or mask that cannot be projected: not a PNG/JPEG, or the wrong size or channels for the model. */
public final class InvalidImageException extends InvalidUploadException {

    public InvalidImageException(String field, String rule) {
        super(field, rule);
    }
}
