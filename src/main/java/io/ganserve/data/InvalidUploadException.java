package io.ganserve.data;

/** An upload refused for a rule its content broke; names the request field (file, labels, name) and the rule. */
public class InvalidUploadException extends RuntimeException {

    private final String field;

    public InvalidUploadException(String field, String rule) {
        super(rule);
        this.field = field;
    }

    public InvalidUploadException(String field, String rule, Throwable cause) {
        super(rule, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
