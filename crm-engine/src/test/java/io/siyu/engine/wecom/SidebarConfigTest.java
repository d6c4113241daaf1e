package io.siyu.engine.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.siyu.engine.support.EngineTest;
import io.siyu.wecom.simulator.WeComSimulator;

/** The sidebar page's agent config: signed over the agent ticket from the simulated WeCom, the page URL unfragmented. */
@EngineTest
class SidebarConfigTest {

    @Autowired
    WebTestClient web;

    @Test
    @SuppressWarnings("unchecked")
    void theSignatureIsWeComsSha1OverTicketNonceTimestampAndUrl() throws Exception {
        String page = "https://crm.example.com/sidebar/index.html?from=chat";
        Map<String, Object> config = web.get().uri(uri -> uri.path("/api/v1/wecom/sidebar/config")
                        .queryParam("url", "{u}").build(page + "#profile"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String signed = "jsapi_ticket=" + WeComSimulator.AGENT_TICKET + "&noncestr=" + config.get("nonceStr")
                + "&timestamp=" + config.get("timestamp") + "&url=" + page;
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(signed.getBytes(StandardCharsets.UTF_8)));
        assertThat(config).containsEntry("corpId", EngineTest.WECOM_CORP).containsEntry("agentId", 1000002)
                .containsEntry("signature", expected);
        web.get().uri("/api/v1/wecom/sidebar/config?url=javascript:alert(1)").exchange().expectStatus()
                .isBadRequest();
    }
}
