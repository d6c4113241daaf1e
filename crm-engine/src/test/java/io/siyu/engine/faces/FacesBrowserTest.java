package io.siyu.engine.faces;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.fetch.Fetch;
import org.openqa.selenium.devtools.v156.fetch.model.HeaderEntry;
import org.openqa.selenium.devtools.v156.fetch.model.RequestPattern;
import org.openqa.selenium.devtools.v156.fetch.model.RequestStage;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.siyu.engine.support.Browser;
import io.siyu.engine.support.EngineHttp;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.WeComEngineProcess;
import io.siyu.wecom.simulator.WeComSimulator;

/**
 * The faces in Debian's Chromium against an engine of its own with demo data (300 members over a year, seed 42),
 * WeCom played by the simulator: a marketer builds a two-criteria segment whose count is the API's preview and saves
 * it, opens the funnel, picks a cohort and a stage's members; a marketer's session cannot open the operator page; an
 * agent signs in to the sidebar with WeCom's OAuth code, the JS-SDK (replaced by a stub that plays
 * {@code getCurExternalContact}) names the customer, and the agent pages the timeline; an agent who is not the
 * customer's contact is refused. Screenshots and what each page cost to load go to {@code target/browser}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FacesBrowserTest {

    private static final String SECRET = "faces-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();
    private final List<Browser.PageCost> costs = new ArrayList<>();

    @TempDir
    static Path data;

    private WeComSimulator wecom;
    private WeComEngineProcess engine;
    private EngineHttp http;
    private Browser browser;
    private String marketer;
    private String operator;
    private String base;

    @BeforeAll
    void engineWithDemoData() throws Exception {
        wecom = new WeComSimulator(EngineTest.WECOM_CORP, SECRET);
        engine = new WeComEngineProcess(data, wecom, SECRET, "--siyu.demo.members=300", "--siyu.demo.seed=42",
                "--siyu.loyalty.expiry-months=6");
        engine.start();
        http = new EngineHttp(engine.httpPort());
        base = "http://127.0.0.1:" + engine.httpPort();
        operator = engine.operator();
        // the demo walks a year on the engine's clock; its status says when it is done (bounded: 10 minutes)
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        Map<String, Object> demo = http.call("GET", "/api/v1/admin/demo", operator, null);
        while (!"done".equals(demo.get("state")) && Instant.now().isBefore(deadline)) {
            assertThat(demo.get("state")).isIn("waiting", "running");
            Thread.sleep(500); // polls the demo's own status: waits for the work, not for a hoped-for moment
            demo = http.call("GET", "/api/v1/admin/demo", operator, null);
        }
        assertThat(demo).containsEntry("state", "done").containsEntry("registered", 300);
        marketer = engine.credential("marketer", "console-marketer");
        browser = Browser.start("en-US");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (!costs.isEmpty()) {
                Files.createDirectories(Browser.ARTIFACTS);
                List<String> lines = costs.stream().map(Browser.PageCost::line).toList();
                Files.write(Browser.ARTIFACTS.resolve("page-costs.txt"), lines, StandardCharsets.UTF_8);
                lines.forEach(line -> System.out.println("page cost: " + line));
            }
        } finally {
            if (browser != null) {
                browser.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (wecom != null) {
                wecom.close();
            }
        }
    }

    @Test
    @Order(1)
    void aMarketerSeesTheOverviewAndBuildsATwoCriteriaSegmentWhoseCountIsTheApisPreview() throws Exception {
        open("/console/");
        signIn(marketer);
        awaitChart("chart-weekly");
        costs.add(browser.cost("overview, first visit (sign-in and ECharts included)"));
        open("/console/#/overview");
        awaitChart("chart-weekly");
        assertThat(text("kpi-members")).contains("300");
        Map<String, Object> overview = http.call("GET", "/api/v1/overview", marketer, null);
        assertThat(text("kpi-mau")).contains(String.format("%,d", ((Number) overview.get("monthlyActive")).longValue()));
        costs.add(browser.cost("overview, again (ECharts cached)"));
        browser.screenshot("console-overview");

        go("#/segments");
        WebElement builder = await("builder");
        // the builder starts with a tier criterion: make it silver and up, then add a channel criterion
        WebElement tierInput = builder.findElement(By.cssSelector("[data-testid=criterion] [data-testid=input-in]"));
        tierInput.clear();
        tierInput.sendKeys("silver,gold,black");
        builder.findElement(By.cssSelector("[data-testid=root-group] > .row [data-testid=add-criterion]")).click();
        List<WebElement> criteria = browser.driver().findElements(By.cssSelector("[data-testid=criterion]"));
        assertThat(criteria).hasSize(2);
        new Select(criteria.get(1).findElement(By.cssSelector("[data-testid=criterion-type]")))
                .selectByValue("registrationChannel");
        WebElement channels = browser.driver().findElements(By.cssSelector("[data-testid=criterion]")).get(1)
                .findElement(By.cssSelector("[data-testid=input-in]"));
        channels.clear();
        channels.sendKeys("mini_program,pos");
        Map<String, Object> expected = Map.of("and", List.of(
                Map.of("tier", Map.of("in", List.of("silver", "gold", "black"))),
                Map.of("registrationChannel", Map.of("in", List.of("mini_program", "pos")))));
        String wanted = json.writeValueAsString(expected);
        WebElement preview = find("preview-count");
        browser.waiting(WAIT).until(driver -> "ready".equals(preview.getAttribute("data-state"))
                && sameJson(preview.getAttribute("data-criteria"), wanted));
        long shown = Long.parseLong(preview.getAttribute("data-count"));
        Map<String, Object> api = http.call("POST", "/api/v1/segments/preview", marketer, Map.of("criteria", expected));
        assertThat(shown).isEqualTo(((Number) api.get("count")).longValue()).isPositive();
        assertThat(preview.getText()).contains(String.valueOf(shown));

        find("segment-id").sendKeys("silver-up-own-channels");
        find("segment-name").sendKeys("Silver and up, own channels");
        find("save-segment").click();
        browser.waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-testid=save-message]"), "silver-up-own-channels"));
        awaitChart("chart-growth");
        assertThat(text("segment-count")).isEqualTo(String.valueOf(shown));
        Map<String, Object> saved = http.call("GET", "/api/v1/segments/silver-up-own-channels", marketer, null);
        assertThat(saved.get("count")).isEqualTo((int) shown);
        assertThat(find("segment-list").getText()).contains("Silver and up, own channels")
                .contains("Gold and Black 金卡及以上");
        browser.screenshot("console-segments");
        // the demo's own segment has a year of recorded entries and exits
        find("segment-gold-and-up").click();
        browser.waiting(WAIT).until(driver -> find("segment-detail").getText().contains("gold-and-up"));
        awaitChart("chart-growth");
        browser.screenshot("console-segment-growth");
    }

    @Test
    @Order(2)
    void theFunnelOpensACohortAndAStagesMembers() throws Exception {
        open("/console/#/funnel");
        awaitChart("chart-funnel");
        costs.add(browser.cost("funnel"));
        Select cohort = new Select(find("funnel-cohort"));
        // the cohorts are months of the demo year; pick one from the middle, whose members had time to go on
        assertThat(cohort.getOptions().size()).isGreaterThan(6);
        WebElement option = cohort.getOptions().get(cohort.getOptions().size() / 2);
        String firstDay = option.getAttribute("value");
        cohort.selectByValue(firstDay);
        Map<String, Object> report = http.call("GET", "/api/v1/funnels/private-domain?cohortBy=month&from="
                + find("funnel-from").getAttribute("value") + "&to=" + find("funnel-to").getAttribute("value"),
                marketer, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> chosen = ((List<Map<String, Object>>) report.get("cohorts")).stream()
                .filter(c -> firstDay.equals(c.get("firstDay"))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        long buyers = ((List<Map<String, Object>>) chosen.get("stages")).stream()
                .filter(s -> "first_purchase".equals(s.get("stage")))
                .mapToLong(s -> ((Number) s.get("members")).longValue()).sum();
        browser.waiting(WAIT).until(driver -> find("stage-first_purchase")
                .findElement(By.cssSelector("[data-testid=stage-count]")).getText().equals(String.valueOf(buyers)));
        assertThat(buyers).isPositive();

        find("open-first_purchase").click();
        browser.waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=stage-members]")));
        assertThat(text("stage-members-title")).contains(String.valueOf(buyers));
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("[data-testid=stage-member]"));
        assertThat(rows).hasSize((int) Math.min(buyers, 20));
        Map<String, Object> page = http.call("GET", "/api/v1/funnels/private-domain/stages/first_purchase/members"
                + "?cohortBy=month&limit=20&cohort=" + firstDay, marketer, null);
        assertThat(page.get("count")).isEqualTo((int) buyers);
        @SuppressWarnings("unchecked")
        String firstId = (String) ((List<Map<String, Object>>) page.get("members")).get(0).get("memberId");
        assertThat(rows.get(0).findElement(By.cssSelector("td")).getAttribute("title")).isEqualTo(firstId);
        // no personal data on the page: no openid, nickname or phone
        assertThat(find("stage-members").getText()).doesNotContain("oDemo").doesNotContain("小王");
        browser.screenshot("console-funnel");
    }

    @Test
    @Order(3)
    void aMarketersSessionCannotOpenOperatorPagesAnOperatorsCan() throws Exception {
        open("/console/#/operator");
        await("forbidden");
        assertThat(text("forbidden")).contains("operator").contains("marketer");
        assertThat(browser.driver().findElements(By.cssSelector("[data-testid=nav-operator]"))).isEmpty();
        // the page is no back door: the operator's routes refuse the marketer's token too
        String token = (String) ((JavascriptExecutor) browser.driver())
                .executeScript("return JSON.parse(sessionStorage.getItem('siyu.session')).token");
        assertThat(http.send("GET", "/api/v1/admin/projections", "Bearer " + token, null).statusCode())
                .isEqualTo(403);
        browser.screenshot("console-operator-refused");

        find("sign-out").click();
        signIn(operator);
        go("#/operator");
        await("projections");
        assertThat(text("demo-status")).contains("\"done\"");
        go("#/rules");
        await("rules-publish");
        long coffees = ((Number) http.call("GET", "/api/v1/rewards/coffee", operator, null).get("stock")).longValue();
        assertThat(text("rewards")).contains("coffee").contains(String.format("%,d", coffees));
        browser.screenshot("console-rules-operator");
        find("sign-out").click();
    }

    @Test
    @Order(4)
    void anAgentInWeComSeesTheChatsCustomerAndPagesTheTimeline() throws Exception {
        // a demo customer of staff member zhangwei with a long history (found as the operator)
        Map<String, Object> customer = demoContactOf("zhangwei");
        String externalUserId = (String) customer.get("externalUserId");
        String memberId = (String) customer.get("memberId");
        long total = ((Number) http.call("GET", "/api/v1/members/" + memberId + "/timeline?limit=1", operator, null)
                .get("total")).longValue();
        assertThat(total).isGreaterThan(10);

        // WeCom's JS-SDK is replaced, as WeCom's client is not here, by a stub that plays getCurExternalContact
        DevTools devTools = browser.driver().getDevTools();
        devTools.createSession();
        String stub = """
                window.ww = {
                  register(options) {
                    window.__wwRegistered = { corpId: options.corpId, agentId: options.agentId,
                      jsApiList: options.jsApiList };
                    window.__wwSignature = Promise.resolve(options.getAgentConfigSignature(location.href.split('#')[0]));
                  },
                  async getCurExternalContact() {
                    const signature = await window.__wwSignature;
                    if (!/^[0-9a-f]{40}$/.test(signature.signature)) throw new Error('getCurExternalContact:fail no permission');
                    return { errMsg: 'getCurExternalContact:ok', userId: '%s' };
                  }
                };""".formatted(externalUserId);
        devTools.send(Fetch.enable(Optional.of(List.of(new RequestPattern(Optional.of("*wecom.global.prod.js*"),
                Optional.empty(), Optional.of(RequestStage.REQUEST)))), Optional.empty()));
        devTools.addListener(Fetch.requestPaused(), paused -> devTools.send(Fetch.fulfillRequest(
                paused.getRequestId(), 200,
                Optional.of(List.of(new HeaderEntry("Content-Type", "application/javascript"))), Optional.empty(),
                Optional.of(java.util.Base64.getEncoder().encodeToString(stub.getBytes(StandardCharsets.UTF_8))),
                Optional.empty())));
        try {
            String code = wecom.oauthCode("zhangwei");
            // WeCom's chat sidebar is narrow
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(420, 900));
            open("/sidebar/?code=" + code + "&state=siyu");
            try {
                await("timeline");
            } catch (org.openqa.selenium.TimeoutException notShown) {
                browser.screenshot("sidebar-failed");
                throw new AssertionError("the sidebar showed: " + find("main").getText(), notShown);
            }
            browser.waiting(WAIT).until(driver -> driver.findElements(
                    By.cssSelector("[data-testid=timeline-entry]")).size() == 10);
            costs.add(browser.cost("sidebar (WeCom, stubbed SDK)"));
            // the page signed itself for WeCom with the agent ticket and asked for the chat's customer only
            @SuppressWarnings("unchecked")
            Map<String, Object> registered = (Map<String, Object>) ((JavascriptExecutor) browser.driver())
                    .executeScript("return window.__wwRegistered");
            assertThat(registered).containsEntry("corpId", EngineTest.WECOM_CORP)
                    .containsEntry("jsApiList", List.of("getCurExternalContact"));
            // the code was used once and taken out of the address
            assertThat(browser.driver().getCurrentUrl()).doesNotContain("code=");
            assertThat(text("staff")).contains("zhangwei");
            String shownPoints = text("points");
            Map<String, Object> points = http.call("GET", "/api/v1/members/" + memberId + "/points", operator, null);
            assertThat(shownPoints).contains(String.format("%,d", ((Number) points.get("balance")).longValue()));
            browser.screenshot("sidebar");

            find("timeline-more").click();
            browser.waiting(WAIT).until(driver -> driver.findElements(
                    By.cssSelector("[data-testid=timeline-entry]")).size() == Math.min(20, total));
            Map<String, Object> firstPage = http.call("GET", "/api/v1/members/" + memberId + "/timeline?limit=20",
                    operator, null);
            @SuppressWarnings("unchecked")
            List<String> lines = ((List<Map<String, Object>>) firstPage.get("entries")).stream()
                    .map(entry -> (String) entry.get("line")).toList();
            List<String> shown = browser.driver().findElements(By.cssSelector("[data-testid=timeline-entry] > div:first-child"))
                    .stream().map(WebElement::getText).toList();
            assertThat(shown).hasSize(lines.size());
            // saved segments may still record an entry on the member's stream meanwhile: at least what was there
            assertThat(Long.parseLong(find("timeline").getAttribute("data-total"))).isGreaterThanOrEqualTo(total);
            browser.screenshot("sidebar-paged");
        } finally {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
            devTools.send(Fetch.disable());
            devTools.clearListeners();
        }
    }

    @Test
    @Order(5)
    void atADeskAnAgentWhoIsNotTheCustomersContactIsRefused() throws Exception {
        Map<String, Object> customer = demoContactOf("zhangwei");
        String agent = engine.credential("agent", "nobody-staff");
        open("/sidebar/?memberId=" + customer.get("memberId"));
        // the tab still holds zhangwei's sidebar session: this is another staff member at another desk
        ((JavascriptExecutor) browser.driver()).executeScript("sessionStorage.clear()");
        open("/sidebar/?memberId=" + customer.get("memberId"));
        find("credential").sendKeys(agent.substring("Bearer ".length()));
        find("sign-in").click();
        await("forbidden");
        browser.screenshot("sidebar-refused");
    }

    /** A member of the demo who is a WeCom contact of {@code staff}, with the longest timeline of the first few. */
    private Map<String, Object> demoContactOf(String staff) throws Exception {
        Map<String, Object> best = null;
        long longest = -1;
        for (int number = 0; number < 300 && (best == null || number < 150); number++) {
            String externalUserId = String.format("wmDemo%024d", number);
            var answer = http.send("GET", "/api/v1/wecom/contacts/" + externalUserId + "/profile", operator, null);
            if (answer.statusCode() != 200) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> profile = json.readValue(answer.body(), Map.class);
            @SuppressWarnings("unchecked")
            boolean theirs = ((List<Map<String, Object>>) profile.get("contacts")).stream()
                    .anyMatch(contact -> staff.equals(contact.get("staffUserId")));
            if (!theirs) {
                continue;
            }
            long total = ((Number) http.call("GET", "/api/v1/members/" + profile.get("memberId")
                    + "/timeline?limit=1", operator, null).get("total")).longValue();
            if (total > longest) {
                longest = total;
                best = Map.of("externalUserId", externalUserId, "memberId", profile.get("memberId"));
            }
        }
        assertThat(best).as("a demo contact of " + staff).isNotNull();
        return best;
    }

    /** A fresh page load (not a same-document hash change), so each page's costs are its own. */
    private void open(String path) {
        browser.driver().get("about:blank");
        browser.driver().get(base + path);
    }

    private void go(String hash) {
        browser.driver().get(base + "/console/" + hash);
    }

    private void signIn(String credential) {
        WebElement input = await("credential");
        input.sendKeys(credential.substring("Bearer ".length()));
        find("sign-in").click();
        await("nav-overview");
    }

    private void awaitChart(String testid) {
        browser.waiting(WAIT).until(driver -> "true".equals(find(testid).getAttribute("data-drawn")));
    }

    private WebElement await(String testid) {
        return browser.waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=" + testid + "]")));
    }

    private WebElement find(String testid) {
        return browser.driver().findElement(By.cssSelector("[data-testid=" + testid + "]"));
    }

    private String text(String testid) {
        return await(testid).getText();
    }

    private boolean sameJson(String a, String b) {
        try {
            return a != null && json.readTree(a).equals(json.readTree(b));
        } catch (IOException notJson) {
            return false;
        }
    }
}
