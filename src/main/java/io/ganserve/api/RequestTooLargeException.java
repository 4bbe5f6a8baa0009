package io.ganserve.api;

/** A request body over {@code ganserve.api.max-json-bytes}; answered as 413. */
final class RequestTooLargeException extends RuntimeException {

    RequestTooLargeException(long limit) {
        super("must be at most " + limit + " bytes (ganserve.api.max-json-bytes)");
    }
}
