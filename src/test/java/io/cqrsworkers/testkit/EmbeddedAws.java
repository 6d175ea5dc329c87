package io.cqrsworkers.testkit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the service of a {@code @CamelMainTest(configurationClasses = AppConfiguration.class)} on the embedded AWS
 * services, isolated: the embedded SQS, DynamoDB, Step Functions and S3 on free ports, a fresh data folder per test
 * class under {@code target/embedded-aws/}, and the business and management ports free too. Nothing is set as a
 * system property; the settings reach the test's Camel context as a property source ({@link KitProperties}) and are
 * gone after the class.
 * <p>
 * Fields and test method parameters of type {@link EmbeddedAwsClient} receive the client of the class's service.
 * Settings of the test itself go into {@code @CamelMainTest(properties = ...)}; they win over the kit's. A base class
 * shared by several test classes gives its settings in {@link #properties()}; settings known only at run time (the
 * port of a server the test starts) come from a static method of the test class annotated
 * {@link RuntimeProperties}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedAwsExtension.class)
public @interface EmbeddedAws {

    /**
     * Route files loaded besides the service's own {@code routes/*.camel.yaml}, as
     * {@code camel.main.routes-include-pattern} entries, e.g. {@code "classpath:examples/audit.camel.yaml"}.
     */
    String[] routes() default {};

    /** Settings as {@code key=value}, over the kit's own and under {@code @CamelMainTest(properties = ...)}. */
    String[] properties() default {};

    /**
     * Marks a static method without parameters of the test class (or a superclass) returning a
     * {@code Map<String, String>}: settings known only at run time, over {@link #properties()}. It runs once per test
     * class, before the Camel context is built.
     */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface RuntimeProperties {
    }
}
