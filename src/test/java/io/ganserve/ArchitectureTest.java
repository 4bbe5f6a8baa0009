package io.ganserve;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's one direction of imports, over the production classes:
 * api, metrics, security → jobs → inversion → training, evaluation, sampling → registry → gan, data → engine, storage.
 * The three middle rooms do not import each other either: evaluation scores, sampling serves and
 * training trains, each knowing only what lies below. Inversion (projection, morphs, inpainting)
 * sits above them: it runs a served generator (sampling) against the evaluation's feature network,
 * so neither of those two has to know the other.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.ganserve");
    }

    @Test
    void importsRunOneWay() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("web").definedBy("io.ganserve.api..", "io.ganserve.metrics..", "io.ganserve.security..")
                .layer("jobs").definedBy("io.ganserve.jobs..")
                .layer("inversion").definedBy("io.ganserve.inversion..")
                .layer("training").definedBy("io.ganserve.training..")
                .layer("evaluation").definedBy("io.ganserve.evaluation..")
                .layer("sampling").definedBy("io.ganserve.sampling..")
                .layer("registry").definedBy("io.ganserve.registry..")
                .layer("gan").definedBy("io.ganserve.gan..")
                .layer("data").definedBy("io.ganserve.data..")
                .layer("engine").definedBy("io.ganserve.engine..", "io.ganserve.storage..")
                .whereLayer("web").mayNotBeAccessedByAnyLayer()
                .whereLayer("jobs").mayOnlyBeAccessedByLayers("web")
                .whereLayer("inversion").mayOnlyBeAccessedByLayers("web", "jobs")
                .whereLayer("training").mayOnlyBeAccessedByLayers("web", "jobs", "inversion")
                .whereLayer("evaluation").mayOnlyBeAccessedByLayers("web", "jobs", "inversion")
                .whereLayer("sampling").mayOnlyBeAccessedByLayers("web", "jobs", "inversion")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("web", "jobs", "inversion", "training", "evaluation",
                        "sampling")
                .whereLayer("gan").mayOnlyBeAccessedByLayers("web", "jobs", "inversion", "training", "evaluation",
                        "sampling", "registry")
                .whereLayer("data").mayOnlyBeAccessedByLayers("web", "jobs", "inversion", "training", "evaluation",
                        "sampling", "registry")
                .whereLayer("engine").mayOnlyBeAccessedByLayers("web", "jobs", "inversion", "training", "evaluation",
                        "sampling", "registry", "gan", "data");
        layers.check(classes);
    }

    @Test
    void theEngineKnowsNothingOfHttp() {
        noClasses().that().resideInAnyPackage("io.ganserve.gan..", "io.ganserve.training..",
                        "io.ganserve.evaluation..", "io.ganserve.registry..", "io.ganserve.engine..",
                        "io.ganserve.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..",
                        "org.springframework.http..", "jakarta.servlet..", "org.apache.catalina..")
                .check(classes);
    }

    @Test
    void trainingAndTheNetworksRunWithoutSpring() {
        noClasses().that().resideInAnyPackage("io.ganserve.gan..", "io.ganserve.training..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .check(classes);
    }
}
