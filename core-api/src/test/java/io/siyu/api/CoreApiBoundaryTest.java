package io.siyu.api;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The contract stays free of infrastructure: any module can depend on it without dragging a framework along. */
@AnalyzeClasses(packages = "io.siyu.api", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreApiBoundaryTest {

    @ArchTest
    static final ArchRule messagesUseNoSpringMongoOrWeComTypes = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "com.mongodb..", "org.bson..", "de.bwaldvogel..",
                    "me.chanjar.weixin..", "com.fasterxml..", "reactor..")
            .because("core-api is the shared contract and depends on nothing but axon-modelling annotations");

    @ArchTest
    static final ArchRule messagesAreRecordsOrEnums = classes()
            .that().resideInAnyPackage("io.siyu.api..").and().areNotAnonymousClasses()
            .and().doNotHaveSimpleName("package-info")
            .should().beRecords().orShould().beEnums().orShould().beInterfaces()
            .because("messages are immutable");
}
