package org.mosaicpacs.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A DS component's configuration annotation (OSGi Compendium 112.8.2, component property types)
 * for a test that constructs the component itself, as SCR would hand it over.
 */
public final class ComponentConfig {

    private ComponentConfig() {
    }

    /**
     * An instance of {@code type} whose attributes answer from {@code values} (by attribute name,
     * already of the attribute's type), or else their defaults.
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> type;
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                }));
    }
}
