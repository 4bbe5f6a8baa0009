package io.ganserve.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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
        throw new InvalidParameterException(parameter, "must be one of " + String.join(", ", choices(type))
                + ", was '" + value + "'");
    }

    /** A choice parameter's values as clients write them; the OpenAPI document lists the same ({@link Choices}). */
    static List<String> choices(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    }
}
