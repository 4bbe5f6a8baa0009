package io.ganserve.api;

/** A query parameter outside its rule; answered as 400 naming the parameter. */
final class InvalidParameterException extends RuntimeException {

    private final String parameter;

    InvalidParameterException(String parameter, String rule) {
        super(rule);
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }

    static int checkRange(String parameter, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidParameterException(parameter, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static <E extends Enum<E>> E checkChoice(String parameter, String value, Class<E> type) {
        for (E choice : type.getEnumConstants()) {
            if (choice.name().equalsIgnoreCase(value)) {
                return choice;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E choice : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(choice.name().toLowerCase());
        }
        throw new InvalidParameterException(parameter, "must be one of " + allowed + ", was '" + value + "'");
    }
}
