package io.cqrsworkers.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The extension behind {@link EmbeddedAws}.
 * <p>
 * Ordering with {@code @CamelMainTest}: camel-test-main-junit5 builds the Camel context in its {@code beforeEach}
 * (once per class with {@code @TestInstance(PER_CLASS)}, else per test). This extension activates the class's
 * settings in {@code beforeAll}, which JUnit runs before any {@code beforeEach}, whatever order the two annotations
 * are written in, and again in its own {@code beforeEach} for a test running on another thread; {@code afterAll}
 * removes them. The embedded services themselves run inside the Camel context (started and stopped by
 * {@code AppConfiguration}, after the routes have drained), so they live exactly as long as the context.
 */
public final class EmbeddedAwsExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, TestInstancePostProcessor, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedAwsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        KitProperties.activate(session(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KitProperties.activate(session(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KitProperties.deactivate();
    }

    @Override
    public void postProcessTestInstance(Object instance, ExtensionContext context) throws IllegalAccessException {
        EmbeddedAwsClient client = client(context);
        for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getType() == EmbeddedAwsClient.class && !Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    field.set(instance, client);
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedAwsClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return client(context);
    }

    private static EmbeddedAwsClient client(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(EmbeddedAwsClient.class,
                k -> new EmbeddedAwsClient(session(context)), EmbeddedAwsClient.class);
    }

    /** One session per test class (a nested class shares its outer class's), created by whoever asks first. */
    private static KitSession session(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(KitSession.class, k -> {
            Class<?> annotated = annotatedClass(context);
            return new KitSession(annotated, AnnotationSupport.findAnnotation(annotated, EmbeddedAws.class).orElse(null));
        }, KitSession.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        ExtensionContext owner = context;
        Class<?> annotated = annotatedClass(context);
        while (owner.getParent().isPresent() && !(owner.getTestClass().orElse(null) == annotated
                && owner.getTestMethod().isEmpty())) {
            owner = owner.getParent().get();
        }
        return owner.getStore(NAMESPACE);
    }

    private static Class<?> annotatedClass(ExtensionContext context) {
        Class<?> type = context.getRequiredTestClass();
        while (!AnnotationSupport.isAnnotated(type, EmbeddedAws.class) && type.getEnclosingClass() != null) {
            type = type.getEnclosingClass();
        }
        return type;
    }
}
