package io.ganserve.sampling;

/** A sampling input the model that answers cannot take: names the field and the rule it breaks. */
public final class InvalidInputException extends IllegalArgumentException {

    private final String field;

    public InvalidInputException(String field, String rule) {
        super(rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
