package io.siyu.projections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.siyu.projections", importOptions = ImportOption.DoNotIncludeTests.class)
class ProjectionBoundaryTest {

    @ArchTest
    static final ArchRule readModelsDependOnTheContractNotTheEngine = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("io.siyu.engine..", "io.siyu.wecom..")
            .because("projections are rebuilt from core-api events alone");
}
