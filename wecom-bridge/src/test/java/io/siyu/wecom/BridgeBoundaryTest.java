package io.siyu.wecom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.siyu.wecom", importOptions = ImportOption.DoNotIncludeTests.class)
class BridgeBoundaryTest {

    @ArchTest
    static final ArchRule bridgeDependsOnTheContractNotTheEngine = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.siyu.engine..")
            .allowEmptyShould(true)
            .because("the bridge talks to the engine through core-api commands and events");
}
