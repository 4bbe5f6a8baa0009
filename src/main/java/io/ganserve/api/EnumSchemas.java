package io.ganserve.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.springdoc.core.customizers.ParameterCustomizer;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The values the OpenAPI document allows for an enum are the enum's own, never a list written
 * beside it: a body field typed by an enum lists what the API's JSON mapper writes for each
 * constant (its {@code @JsonValue} id, else its name), and a {@link Choices} query parameter what
 * {@link InvalidParameterException#checkChoice} accepts.
 *
 * <p>Fields are fixed on the finished object schema, not as springdoc resolves each one: swagger
 * applies a field's {@code @Schema(allowableValues)} after that, so a list written by hand there
 * would otherwise win, and a loss or metric added to the enum would be missing from it.
 */
@Component
class EnumSchemas implements ModelConverter, ParameterCustomizer {

    private static final String COMPONENTS = "#/components/schemas/";

    private final JsonMapper json;

    EnumSchemas(JsonMapper json) {
        this.json = json;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Schema schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        if (schema == null) {
            return null;
        }
        // swagger's own (Jackson 2) view of the class: the properties it has just documented
        JavaType javaType = Json.mapper().constructType(type.getType());
        if (javaType.isEnumType() || javaType.isContainerType() || javaType.isPrimitive()) {
            return schema;
        }
        Schema model = schema.get$ref() != null && schema.get$ref().startsWith(COMPONENTS)
                ? context.getDefinedModels().get(schema.get$ref().substring(COMPONENTS.length())) : schema;
        if (model == null || model.getProperties() == null) {
            return schema;
        }
        BeanDescription bean = Json.mapper().getSerializationConfig().introspect(javaType);
        for (BeanPropertyDefinition property : bean.findProperties()) {
            Schema documented = (Schema) model.getProperties().get(property.getName());
            Class<?> raw = property.getRawPrimaryType();
            if (documented != null && raw != null && raw.isEnum() && documented.get$ref() == null) {
                documented.setEnum(jsonNames(raw));
            }
        }
        return schema;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Parameter customize(Parameter parameter, MethodParameter method) {
        Choices choices = method.getParameterAnnotation(Choices.class);
        if (choices != null && parameter != null && parameter.getSchema() != null) {
            Schema schema = parameter.getSchema();
            schema.setEnum(InvalidParameterException.choices(choices.value()));
        }
        return parameter;
    }

    private List<String> jsonNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> json.valueToTree(c).asString()).toList();
    }
}
