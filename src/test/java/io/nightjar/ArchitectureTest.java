package io.nightjar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * The import rules of docs/architecture.md, checked on the main classes. One method per rule, named
 * after it; add a package's rules as methods of their own.
 */
@AnalyzeClasses(packages = "io.nightjar", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  /** The training stack, top to bottom, and what it rests on. */
  private static LayeredArchitecture trainingStack() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("training")
        .definedBy("io.nightjar.training..")
        .layer("tuning")
        .definedBy("io.nightjar.tuning..")
        .layer("families")
        .definedBy("io.nightjar.families..")
        .layer("xgboost")
        .definedBy("io.nightjar.xgboost..")
        .layer("online")
        .definedBy("io.nightjar.online..")
        .layer("model")
        .definedBy("io.nightjar.model..")
        .layer("registry")
        .definedBy("io.nightjar.registry..")
        .layer("data")
        .definedBy("io.nightjar.data..")
        .layer("config")
        .definedBy("io.nightjar.config..");
  }

  @ArchTest
  static void packagesHaveNoCycles(JavaClasses classes) {
    slices().matching("io.nightjar.(*)..").should().beFreeOfCycles().check(classes);
  }

  @ArchTest
  static void onlyTheXGBoostPackageImportsXGBoost4J(JavaClasses classes) {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.nightjar.xgboost..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("ml.dmlc..")
        .because(
            "engine knowledge stays behind ModelFamily (the version reader reads XGBoost's version"
                + " from its Maven metadata, not its classes)")
        .check(classes);
  }

  @ArchTest
  static void trainingStackImportsOnlyDownwards(JavaClasses classes) {
    trainingStack()
        .whereLayer("training")
        .mayOnlyAccessLayers("tuning", "families", "model", "registry", "data", "config")
        .whereLayer("tuning")
        .mayOnlyAccessLayers("families", "model", "registry", "data", "config")
        .whereLayer("families")
        .mayOnlyAccessLayers("xgboost", "online", "model", "data", "config")
        .whereLayer("xgboost")
        .mayOnlyAccessLayers("online", "model", "data", "config")
        .whereLayer("online")
        .mayOnlyAccessLayers("model", "data", "config")
        .whereLayer("model")
        .mayOnlyAccessLayers("data", "config")
        .whereLayer("registry")
        .mayOnlyAccessLayers("config")
        .whereLayer("data")
        .mayOnlyAccessLayers("config")
        .whereLayer("config")
        .mayNotAccessAnyLayer()
        .check(classes);
  }

  @ArchTest
  static void onlyModelFamiliesReachesTheXGBoostPackage(JavaClasses classes) {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.nightjar.xgboost..", "io.nightjar.families..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.nightjar.xgboost..")
        .because("tuning and training see XGBoost only as a ModelFamily and its FoldFitting")
        .check(classes);
  }

  @ArchTest
  static void theBayesPackageIsPlainMathematics(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("io.nightjar.tuning.bayes..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("io.nightjar.tuning.bayes..", "java..")
        .because(
            "the model-based search works on coordinates and losses only, so it is tested without"
                + " Spark and knows nothing of specs, tables or families")
        .check(classes);
  }

  @ArchTest
  static void onlyTheKernelPackageImportsDeltaKernel(JavaClasses classes) {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.nightjar.kernel..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.delta.kernel..")
        .because("registry reads without Spark go through io.nightjar.kernel's reader")
        .check(classes);
  }

  @ArchTest
  static void theKernelPackageStartsNoSpark(JavaClasses classes) {
    noClasses()
        .that()
        .resideInAPackage("io.nightjar.kernel..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.spark..", "io.nightjar.jobs..", "io.nightjar.cli..")
        .because("its answers must come without a SparkSession (issue 18)")
        .check(classes);
  }

  @ArchTest
  static void modelsAnswersWithoutASparkSession(JavaClasses classes) {
    noClasses()
        .that()
        .haveFullyQualifiedName("io.nightjar.cli.ModelsCommand")
        .should()
        .callMethod("io.nightjar.cli.NightjarCli", "context")
        .orShould()
        .callMethod("io.nightjar.cli.Subcommand", "context")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.spark..")
        .because("models reads the registry through io.nightjar.kernel, without Spark (issue 18)")
        .check(classes);
  }

  @ArchTest
  static void onlyTheLookupPackageImportsNetty(JavaClasses classes) {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.nightjar.lookup..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .because("serve's HTTP server is one package; the rest of Nightjar sees it as HttpLookup")
        .check(classes);
  }
}
