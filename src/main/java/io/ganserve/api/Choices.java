package io.ganserve.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A string query parameter that takes one of an enum's values, checked with
 * {@link InvalidParameterException#checkChoice}. The parameter stays a string so that a wrong value
 * is answered with the list of choices rather than a type mismatch; this names the enum for the
 * OpenAPI document, which lists its values ({@link EnumSchemas}).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@interface Choices {

    Class<? extends Enum<?>> value();
}
