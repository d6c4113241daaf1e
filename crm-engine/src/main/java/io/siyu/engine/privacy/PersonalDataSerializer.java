package io.siyu.engine.privacy;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import javax.crypto.SecretKey;

import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.UnknownSerializedType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.siyu.api.PersonalData;

/**
 * Field encryption as a serializer concern: around Jackson, the {@link PersonalData} fields of whatever is stored
 * (events, snapshots, dead letters) are sealed with the data key of the member the object names in {@code memberId},
 * and opened again on reading. Handlers and aggregates see plain values; once the member's key is destroyed they see
 * {@code null}. Types without such fields pass through untouched. A value stored before encryption (no {@code pd1:}
 * prefix) is read as it is.
 */
public final class PersonalDataSerializer implements Serializer {

    /** The property naming whose personal data an object holds. */
    static final String SUBJECT = "memberId";

    private static final ClassValue<List<String>> PERSONAL = new ClassValue<>() {
        @Override
        protected List<String> computeValue(Class<?> type) {
            return personalFields(type);
        }
    };

    private final Serializer delegate;
    private final MemberDataKeys keys;

    public PersonalDataSerializer(Serializer delegate, MemberDataKeys keys) {
        this.delegate = delegate;
        this.keys = keys;
    }

    /** @return the names of the type's personal fields, in declaration order (empty for most types) */
    static List<String> personalFields(Class<?> type) {
        List<String> names = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.isAnnotationPresent(PersonalData.class)) {
                    names.add(component.getName());
                }
            }
            return List.copyOf(names);
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(PersonalData.class)) {
                    names.add(field.getName());
                }
            }
        }
        return List.copyOf(names);
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        List<String> fields = object == null ? List.of() : PERSONAL.get(object.getClass());
        if (fields.isEmpty()) {
            return delegate.serialize(object, expectedRepresentation);
        }
        SerializedObject<JsonNode> tree = delegate.serialize(object, JsonNode.class);
        ObjectNode node = (ObjectNode) tree.getData();
        String memberId = subject(node, object.getClass());
        Optional<SecretKey> key = keys.forWriting(memberId);
        transform(node, fields, (field, plain) -> key.map(k -> FieldCipher.sealText(k, plain, context(memberId, field)))
                .orElse(null));
        return getConverter().convert(new SimpleSerializedObject<>(node, JsonNode.class, tree.getType()),
                expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        Class<?> type = classForType(serializedObject.getType());
        List<String> fields = type == null || UnknownSerializedType.class.equals(type) ? List.of()
                : PERSONAL.get(type);
        if (fields.isEmpty()) {
            return delegate.deserialize(serializedObject);
        }
        JsonNode read = getConverter().convert(serializedObject, JsonNode.class).getData();
        if (!(read instanceof ObjectNode)) {
            return delegate.deserialize(serializedObject);
        }
        // the converter may hand back a tree others hold (an upcaster's): open a copy
        ObjectNode node = ((ObjectNode) read).deepCopy();
        String memberId = subject(node, type);
        @SuppressWarnings("unchecked")
        Optional<SecretKey>[] key = new Optional[1];
        transform(node, fields, (field, value) -> {
            if (!FieldCipher.isSealed(value)) {
                return value;
            }
            if (key[0] == null) {
                key[0] = keys.forReading(memberId);
            }
            return key[0].map(k -> FieldCipher.openText(k, value, context(memberId, field))).orElse(null);
        });
        return delegate.deserialize(new SimpleSerializedObject<>(node, JsonNode.class, serializedObject.getType()));
    }

    private static String subject(ObjectNode node, Class<?> type) {
        JsonNode subject = node.get(SUBJECT);
        if (subject == null || !subject.isTextual()) {
            throw new IllegalStateException(type.getName() + " has personal data but no " + SUBJECT
                    + " naming whose it is");
        }
        return subject.asText();
    }

    private static String context(String memberId, String field) {
        return memberId + "|" + field;
    }

    private static void transform(ObjectNode node, List<String> fields,
                                  BiFunction<String, String, String> operation) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isTextual()) {
                String done = operation.apply(field, value.asText());
                node.set(field, done == null ? node.nullNode() : TextNode.valueOf(done));
            } else if (value instanceof ArrayNode list) {
                ArrayNode done = node.arrayNode();
                list.forEach(element -> {
                    String item = element.isTextual() ? operation.apply(field, element.asText()) : null;
                    if (item != null) {
                        done.add(item);
                    }
                });
                node.set(field, done);
            }
        }
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        return delegate.classForType(type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) {
        return delegate.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return delegate.getConverter();
    }
}
