package io.ganserve.jobs;

/** A job request whose fields are each valid but do not fit together, or name something absent. */
public final class InvalidJobException extends RuntimeException {

    private final String field;

    public InvalidJobException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
