package io.ganserve.support;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * The whole service on a random port over a data directory of its own: extend this, and the test
 * class gets {@link #port} and {@link #data}, a fresh temporary directory that is
 * {@code ganserve.training.data-dir} and is deleted after the class, once the service has stopped.
 *
 * <p>Each test class gets its own service: Spring's context cache is keyed by the test class
 * ({@link OwnServicePerClass}), so two classes never share a service, its jobs or its data
 * directory, however alike their settings.
 *
 * <p>A class's own settings and set-up:
 * <ul>
 *   <li>properties in a {@code @DynamicPropertySource} method of the class (give it a name other
 *       than {@code temporaryDataDir}, which it would hide), or fixed ones in
 *       {@code @TestPropertySource(properties = ...)} on the class (not {@code @SpringBootTest},
 *       which would replace this one's);</li>
 *   <li>files the service must find when it starts, such as datasets under
 *       {@code data.resolve("datasets")}, written in that same {@code @DynamicPropertySource}
 *       method: it runs once {@link #data} exists and before the service starts.</li>
 * </ul>
 *
 * <pre>{@code
 * class QueueLimitTest extends ServiceOnTempData {
 *     @DynamicPropertySource
 *     static void properties(DynamicPropertyRegistry registry) {
 *         registry.add("ganserve.training.queue-capacity", () -> "2");
 *     }
 * }
 * }</pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextCustomizerFactories(ServiceOnTempData.OwnServicePerClass.class)
// The service stops after its class, before JUnit deletes the directory: a job still training
// there wrote into it while it was being deleted ("Failed to delete temp directory ... jobs" in
// FineTuningTest, CI), and a cached service kept its threads and memory for the rest of the run.
@org.springframework.test.annotation.DirtiesContext(
        classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ServiceOnTempData {

    /** The service's data directory: one per test class, made before the service starts. */
    @TempDir
    protected static Path data;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void temporaryDataDir(DynamicPropertyRegistry registry) {
        // read now, while the field holds this class's directory
        String dir = data.toString();
        registry.add("ganserve.training.data-dir", () -> dir);
    }

    /**
     * Makes each test class's context distinct in Spring's cache. Without it, two subclasses with
     * no settings of their own would share one context, started on the first class's data
     * directory, which JUnit deletes after that class.
     */
    public static final class OwnServicePerClass implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                         List<ContextConfigurationAttributes> configAttributes) {
            return new TestClassKey(testClass);
        }
    }

    /** Changes nothing in the context; only its equality (by test class) counts. */
    record TestClassKey(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        }
    }
}
