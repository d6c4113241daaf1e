package io.siyu.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The boundaries of the code base, checked on every build. */
@AnalyzeClasses(packages = "io.siyu", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] INFRASTRUCTURE = {
            "org.springframework..", "com.mongodb..", "org.bson..", "de.bwaldvogel..", "me.chanjar.weixin..",
            "reactor..", "io.netty.."};

    /** The aggregate, its refusals and the named rules: business logic only, testable without a container. */
    @ArchTest
    static final ArchRule domainUsesNoSpringMongoOrWeCom = noClasses()
            .that().resideInAnyPackage("io.siyu.engine.member", "io.siyu.engine.points", "io.siyu.engine.checkin")
            .should().dependOnClassesThat().resideInAnyPackage(INFRASTRUCTURE)
            .because("aggregates and policies decide; wiring, storage and HTTP live in config, identity and web");

    @ArchTest
    static final ArchRule contractUsesNoInfrastructure = noClasses()
            .that().resideInAPackage("io.siyu.api..")
            .should().dependOnClassesThat().resideInAnyPackage(INFRASTRUCTURE)
            .orShould().dependOnClassesThat().resideInAnyPackage("io.siyu.engine..", "io.siyu.projections..",
                    "io.siyu.wecom..");

    @ArchTest
    static final ArchRule projectionsDoNotReachIntoTheEngine = noClasses()
            .that().resideInAPackage("io.siyu.projections..")
            .should().dependOnClassesThat().resideInAPackage("io.siyu.engine..")
            .because("read models are built from core-api events alone");

    @ArchTest
    static final ArchRule weComBridgeDoesNotReachIntoTheEngine = noClasses()
            .that().resideInAPackage("io.siyu.wecom..")
            .should().dependOnClassesThat().resideInAPackage("io.siyu.engine..")
            .because("the bridge talks to the engine through core-api commands and events");

    @ArchTest
    static final ArchRule webControllersOnlyInWebPackages = classes()
            .that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
            .should().resideInAPackage("..web..");

    @ArchTest
    static final ArchRule noRandomnessOrWallClockInTheDomain = noClasses()
            .that().resideInAnyPackage("io.siyu.engine.member", "io.siyu.engine.points", "io.siyu.engine.checkin")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(java.util.UUID.class, "randomUUID")
            .orShould().callMethod(java.time.LocalDate.class, "now")
            .because("time and ids are injected");

    /** Who may call what is read in one place: tokens, credentials and WeChat sign-in live in the access package. */
    @ArchTest
    static final ArchRule tokensAndWeChatSignInOnlyInAccess = noClasses()
            .that().resideOutsideOfPackage("io.siyu.engine.access..")
            .and().resideInAPackage("io.siyu.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("com.nimbusds..", "org.springframework.security.oauth2..",
                    "cn.binarywang.wx.miniapp..", "io.github.bucket4j..")
            .because("tokens, WeChat sign-in and limits are the access package's, not each capability's");

    /** Route rules are declared in AccessRules, never as role checks scattered through the handlers. */
    @ArchTest
    static final ArchRule noRoleChecksInHandlers = noClasses()
            .that().resideInAPackage("io.siyu.engine..web..")
            .and().resideOutsideOfPackage("io.siyu.engine.access..")
            .should().callMethod(io.siyu.engine.access.Caller.class, "role")
            .because("who may call a route is AccessRules' to say; a handler only records the caller as the actor");

    @ArchTest
    static final ArchRule theEventStoreAgesGapsOnAMonotonicClock = noClasses()
            .that().resideInAPackage("io.siyu.engine.eventstore..")
            .should().dependOnClassesThat().areAssignableTo(java.time.Clock.class)
            .orShould().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .because("a step of the wall clock (NTP) must not age or drop a gap: gap ages are System.nanoTime()");

    /** Demo data is made as a brand would make it: commands, never writes to the store or the read models. */
    @ArchTest
    static final ArchRule demoDataGoesThroughTheCommandPath = noClasses()
            .that().resideInAPackage("io.siyu.engine.demo")
            .and().doNotHaveSimpleName("DemoConfiguration")
            .should().dependOnClassesThat().resideInAnyPackage("com.mongodb..", "org.bson..", "io.siyu.projections..",
                    "org.axonframework.eventsourcing..", "org.axonframework.eventhandling..")
            .because("a demo year must be what the engine would have recorded from the same requests");
}
