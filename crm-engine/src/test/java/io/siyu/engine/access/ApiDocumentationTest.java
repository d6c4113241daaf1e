package io.siyu.engine.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.EngineTest;

/** The OpenAPI document lists every route of the access table with the callers the table admits. */
@EngineTest
class ApiDocumentationTest {

    @Autowired
    WebTestClient web;

    @Test
    @SuppressWarnings("unchecked")
    void everyRouteIsDocumentedWithTheCallersTheSecurityChainAdmits() {
        Map<String, Object> document = web.mutate().codecs(codecs -> codecs.defaultCodecs()
                        .maxInMemorySize(4 << 20)).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Map<String, Map<String, Object>>> paths =
                (Map<String, Map<String, Map<String, Object>>>) document.get("paths");
        for (Route route : AccessRules.routes()) {
            Map<String, Object> operation = paths.getOrDefault(route.pattern(), Map.of())
                    .get(route.method().name().toLowerCase(Locale.ROOT));
            assertThat(operation).as(route.key()).isNotNull();
            assertThat((List<String>) operation.get("x-siyu-callers")).as(route.key())
                    .containsExactlyInAnyOrderElementsOf(route.roles().stream().map(Role::code).toList());
            if (!route.isPublic()) {
                assertThat((Map<String, Object>) operation.get("responses")).as(route.key())
                        .containsKeys("401", "403");
            }
        }
        Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) document.get("components"))
                .get("securitySchemes");
        assertThat(schemes).containsKeys("memberToken", "staffToken", "apiKey", "signedRequest");
        web.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
    }
}
