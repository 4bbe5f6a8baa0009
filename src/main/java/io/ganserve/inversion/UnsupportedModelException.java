package io.ganserve.inversion;

/** The generator asked for is one projection cannot invert (points, conditional, InfoGAN). */
public final class UnsupportedModelException extends RuntimeException {

    public UnsupportedModelException(String message) {
        super(message);
    }
}
