package io.siyu.engine.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.siyu.api.wecom.RecordWeComContactAdded;
import io.siyu.api.wecom.RecordWeComGroupJoined;
import io.siyu.engine.audience.Population.Person;
import io.siyu.engine.support.Api;
import io.siyu.engine.support.EngineTest;
import io.siyu.engine.support.TestClock;

/**
 * A synthetic population of 2,400 members (two registration weeks, two channels) buys, becomes WeCom contacts and
 * joins groups, through the HTTP API (WeCom facts through the commands the bridge sends). The funnel, segments and
 * the list of buyers outside groups are checked against the answers worked out by {@link Population} alone.
 */
@EngineTest
class AudienceJourneyTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String[] STAGES = {"registered", "first_purchase", "repeat_purchase", "wecom_contact",
            "wecom_group", "repeat_after_group"};
    private static final ExecutorService CALLERS = Executors.newFixedThreadPool(8);

    @Autowired
    WebTestClient web;
    @Autowired
    TestClock clock;
    @Autowired
    CommandGateway commands;

    @AfterAll
    static void stopCallers() {
        CALLERS.shutdownNow();
    }

    @Test
    void funnelSegmentsAndBuyersOutsideGroupsAnswerWhatThePopulationDid() {
        Api api = new Api(web);
        String store = "T-" + System.nanoTime();
        Population population = new Population(1_500, 900, 42);
        List<Person> weekA = population.people.stream().filter(person -> !person.weekB).toList();
        List<Person> weekB = population.people.stream().filter(person -> person.weekB).toList();

        // registrations at noon (Shanghai), so that each week's cohort registers on one day
        ZonedDateTime now = clock.instant().atZone(SHANGHAI);
        ZonedDateTime noon = now.toLocalDate().atTime(12, 0).atZone(SHANGHAI);
        clock.advance(Duration.between(now, noon.isAfter(now) ? noon : noon.plusDays(1)));
        LocalDate dayA = LocalDate.ofInstant(clock.instant(), SHANGHAI);
        inParallel(weekA, person -> register(person, store));
        Instant betweenWeeks = clock.instant();
        clock.advance(Duration.ofDays(7));
        LocalDate dayB = LocalDate.ofInstant(clock.instant(), SHANGHAI);
        inParallel(weekB, person -> register(person, store));
        clock.advance(Duration.ofDays(2));
        Instant activity = clock.instant();
        population.decideActivity(activity, 7);
        inParallel(population.people, person -> act(api, person, store));

        String funnel = "/api/v1/funnels/private-domain?from=" + dayA.minusDays(1) + "&to=" + dayB + "&store=" + store;
        long groupedRepeaters = population.people.stream().filter(p -> p.stageMinutes()[5] != null).count();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(stage(total(api.get(funnel)), "repeat_after_group").get("members"))
                        .isEqualTo((int) groupedRepeaters));
        // the funnel, cohort by cohort, against the model
        Map<String, Object> report = api.get(funnel + "&cohortBy=week");
        List<Map<String, Object>> cohorts = list(report, "cohorts");
        assertThat(cohorts).extracting(cohort -> cohort.get("cohort")).containsExactly(week(dayA), week(dayB));
        expectCohort(cohorts.get(0), weekA);
        expectCohort(cohorts.get(1), weekB);
        expectCohort(total(report), population.people);
        List<Person> pos = population.people.stream().filter(p -> p.channel.equals("pos")).toList();
        expectCohort(total(api.get(funnel + "&channel=pos")), pos);
        assertThat(list(api.get(funnel + "&cohortBy=month"), "cohorts")).extracting(c -> c.get("cohort"))
                .containsExactlyElementsOf(new LinkedHashSet<>(List.of(month(dayA), month(dayB))));

        // a stage's members: exactly the people the model says reached it, paged, per cohort and over the range
        String cut = "&store=" + store;
        LocalDate mondayA = dayA.with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
        expectStageMembers(api, "cohortBy=week&cohort=" + mondayA + cut, weekA, 1);
        expectStageMembers(api, "cohortBy=week&cohort=" + mondayA + cut, weekA, 4);
        expectStageMembers(api, "from=" + dayA.minusDays(1) + "&to=" + dayB + cut, population.people, 3);
        expectStageMembers(api, "from=" + dayA.minusDays(1) + "&to=" + dayB + cut + "&channel=pos", pos, 5);
        Map<String, String> bad = new java.util.LinkedHashMap<>(Map.of("stages/bought/members?x=1" + cut, "stage",
                "stages/registered/members?cohort=" + mondayA.plusDays(1), "cohort",
                "stages/registered/members?limit=0", "limit", "stages/registered/members?cohortBy=year", "cohortBy",
                "stages/registered/members?cohort=%2B999999999-12-27", "cohort",
                "stages/registered/members?asOf=-1000000000-01-01T00:00:00Z", "asOf",
                "stages/registered/members?after=no-such-member", "after",
                "stages/registered/members?cohort=" + mondayA + "&from=" + dayA, "from",
                "stages/registered/members?store=" + "s".repeat(65), "store",
                "?asOf=-999999999-01-01T00:00:00Z", "asOf"));
        bad.put("?from=1999-12-31", "from");
        bad.forEach((query, field) -> assertThat(api.getExpecting("/api/v1/funnels/private-domain"
                + (query.startsWith("?") ? "" : "/") + query, 400).toString()).as(query).contains("field=" + field));

        // as it stood between the two registration weeks: week A registered, nothing bought yet
        Map<String, Object> then = api.get(funnel + "&asOf=" + betweenWeeks);
        assertThat(list(then, "cohorts")).hasSize(1);
        assertThat(stage(total(then), "registered").get("members")).isEqualTo(weekA.size());
        assertThat(stage(total(then), "first_purchase").get("members")).isEqualTo(0);

        // buyers not yet in a WeCom group: the campaign list, paged
        Set<String> ours = population.people.stream().map(p -> p.memberId).collect(Collectors.toSet());
        Set<String> outside = new HashSet<>();
        String after = null;
        do {
            Map<String, Object> page = api.get("/api/v1/funnels/private-domain/buyers-outside-groups?limit=1000"
                    + (after == null ? "" : "&after=" + after));
            ((List<String>) page.get("members")).stream().filter(ours::contains).forEach(outside::add);
            after = (String) page.get("nextAfter");
        } while (after != null);
        assertThat(outside).isEqualTo(ids(population, p -> !p.orders.isEmpty() && p.groupAt == null && marketing(p)));

        // segment previews: AND, OR, NOT over tier, purchases, channel, contacts, balance
        String inStore = "{\"store\":{\"in\":[\"" + store + "\"]}}";
        expectPreview(api, "{\"and\":[" + inStore + ",{\"funnelStage\":{\"reached\":\"first_purchase\"}},"
                        + "{\"not\":{\"inWeComGroup\":{}}}]}",
                count(population, p -> !p.orders.isEmpty() && p.groupAt == null));
        expectPreview(api, "{\"and\":[" + inStore + ",{\"or\":[{\"tier\":{\"in\":[\"silver\"]}},"
                        + "{\"purchasesInLastDays\":{\"days\":30,\"min\":2}}]}]}",
                count(population, p -> p.spendFen() >= 100_000 || p.orders.size() >= 2));
        expectPreview(api, "{\"and\":[" + inStore + ",{\"registrationChannel\":{\"in\":[\"pos\"]}},"
                + "{\"not\":{\"hasWeComContact\":{}}}]}", count(population, p -> p.channel.equals("pos")
                && p.contactAt == null));
        expectPreview(api, "{\"and\":[" + inStore + ",{\"spendInLastDays\":{\"days\":7,\"minFen\":60000}},"
                + "{\"inWeComGroup\":{\"chatId\":\"chat-" + store + "\"}}]}",
                count(population, p -> p.spendFen() >= 60_000 && p.groupAt != null));
        Map<String, Long> balances = new ConcurrentHashMap<>();
        inParallel(population.people, p -> balances.put(p.memberId,
                ((Number) api.get("/api/v1/members/" + p.memberId + "/points").get("balance")).longValue()));
        expectPreview(api, "{\"and\":[" + inStore + ",{\"pointsBalance\":{\"min\":100,\"max\":300}}]}",
                balances.values().stream().filter(b -> b >= 100 && b <= 300).count());
        // a saved segment is live, also when only time passes: a month without a purchase
        String lapsed = "{\"and\":[" + inStore + ",{\"daysSinceLastPurchase\":{\"min\":30}}]}";
        String segmentId = "lapsed-" + store;
        api.post("/api/v1/segments", Map.of("segmentId", segmentId, "name", "Lapsed buyers",
                        "criteria", json(lapsed), "actor", "marketer-1"))
                .expectStatus().isCreated().expectBody().jsonPath("$.count").isEqualTo(0)
                .jsonPath("$.duplicate").isEqualTo(false);
        api.post("/api/v1/segments", Map.of("segmentId", segmentId, "name", "Lapsed buyers",
                        "criteria", json(lapsed), "actor", "marketer-1"))
                .expectStatus().isOk().expectBody().jsonPath("$.duplicate").isEqualTo(true);
        api.post("/api/v1/segments", Map.of("segmentId", segmentId, "name", "Lapsed buyers",
                        "criteria", json(inStore)))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.type")
                .isEqualTo("urn:siyu:problem:idempotency-key-reused");
        Set<String> buyers = ids(population, p -> !p.orders.isEmpty());
        clock.advance(Duration.ofDays(31));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                api.get("/api/v1/segments/" + segmentId)).containsEntry("count", buyers.size())
                .containsEntry("recorded", buyers.size()).doesNotContainKey("duplicate"));
        assertThat(members(api, segmentId)).as("the list holds the buyers who consent to marketing")
                .isEqualTo(ids(population, p -> buyers.contains(p.memberId) && marketing(p)));

        // a purchase brings one back: the exit is recorded on the member's stream and shows in the timeline
        String returning = buyers.iterator().next();
        api.purchaseAt(returning, "back-1", 10_000, clock.instant().minusSeconds(5)).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get("/api/v1/segments/" + segmentId)).containsEntry("recorded", buyers.size() - 1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                list(api.get("/api/v1/members/" + returning + "/timeline?limit=10"), "entries"))
                .extracting(e -> e.get("kind")).contains("segment-left", "segment-entered"));
        // growth: everyone entered today, one left again; none before
        LocalDate today = LocalDate.ofInstant(clock.instant(), SHANGHAI);
        List<Map<String, Object>> growth = list(api.get("/api/v1/segments/" + segmentId + "/growth?from="
                + today.minusDays(1) + "&to=" + today), "days");
        assertThat(growth.get(0)).containsEntry("entered", 0).containsEntry("members", 0);
        assertThat(growth.get(1)).containsEntry("entered", buyers.size()).containsEntry("left", 1)
                .containsEntry("members", buyers.size() - 1);
    }

    @Test
    void badSegmentDefinitionsAndFunnelQueriesAreRefusedNamingTheField() {
        Api api = new Api(web);
        api.post("/api/v1/segments/preview", Map.of("criteria", json("{\"loyalty\":{}}")))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:invalid-request")
                .jsonPath("$.errors[0].field").isEqualTo("criteria.loyalty");
        api.post("/api/v1/segments/preview", Map.of("criteria",
                        json("{\"and\":[{\"pointsBalance\":{\"min\":500,\"max\":100}},{\"tier\":{\"in\":[\"diamond\"]}}]}")))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("criteria.and[0].pointsBalance")
                .jsonPath("$.errors[0].reason").value(reason -> assertThat((String) reason).contains("impossible"))
                .jsonPath("$.errors[1].field").isEqualTo("criteria.and[1].tier.in");
        api.post("/api/v1/segments/preview", Map.of("criteria",
                        json("{\"spendInLastDays\":{\"minFen\":1,\"colour\":\"red\"}}")))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[*].field").value(fields -> assertThat((List<String>) fields)
                        .containsExactlyInAnyOrder("criteria.spendInLastDays.colour", "criteria.spendInLastDays.days"));
        api.post("/api/v1/segments", Map.of("segmentId", "no name", "criteria", json("{\"hasWeComContact\":{}}")))
                .expectStatus().isBadRequest();
        web.get().uri("/api/v1/segments/never-saved").exchange().expectStatus().isNotFound().expectBody()
                .jsonPath("$.type").isEqualTo("urn:siyu:problem:unknown-segment");
        web.get().uri("/api/v1/funnels/private-domain?cohortBy=day").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("cohortBy");
        web.get().uri("/api/v1/funnels/private-domain?from=2026-02-01&to=2026-01-01").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("from");
        web.get().uri("/api/v1/funnels/private-domain?asOf=" + clock.instant().plus(Duration.ofDays(1)))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field")
                .isEqualTo("asOf");
    }

    private void register(Person person, String store) {
        Map<?, ?> body = web.post().uri("/api/v1/members").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("openid", Api.newOpenid(), "channel", person.channel, "storeId", store))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        person.memberId = (String) body.get("memberId");
    }

    /** Two in three members consent to marketing: member lists (campaigns) hold only them, counts hold everyone. */
    private static boolean marketing(Person person) {
        return Math.floorMod(person.memberId.hashCode(), 3) != 0;
    }

    private void act(Api api, Person person, String store) {
        if (marketing(person)) {
            api.post("/api/v1/members/" + person.memberId + "/consents", Map.of("changeId", "C-" + person.memberId,
                    "purpose", "marketing", "granted", true)).expectStatus().isOk();
        }
        for (int i = 0; i < person.orders.size(); i++) {
            api.post("/api/v1/members/" + person.memberId + "/purchases", Map.of("orderId", "O-" + i,
                    "amountFen", person.amounts.get(i), "storeId", store, "channel", "mini_program",
                    "occurredAt", person.orders.get(i).atOffset(ZoneOffset.ofHours(8)).toString()))
                    .expectStatus().isOk();
        }
        if (person.contactAt != null) {
            commands.sendAndWait(new RecordWeComContactAdded(person.memberId, "add-" + person.memberId, "staff-1",
                    "wm-" + person.memberId, "campaign-" + store, person.contactAt));
        }
        if (person.groupAt != null) {
            commands.sendAndWait(new RecordWeComGroupJoined(person.memberId, "join-" + person.memberId,
                    "chat-" + store, 3, null, "v1", person.groupAt, null));
        }
    }

    /** The cohort's stage counts, conversions and (from the second step on) median minutes equal the model's. */
    private static void expectCohort(Map<String, Object> cohort, List<Person> people) {
        List<Long[]> stages = people.stream().map(Person::stageMinutes).toList();
        long previous = 0;
        for (int s = 0; s < STAGES.length; s++) {
            int index = s;
            long reached = stages.stream().filter(m -> m[index] != null).count();
            Map<String, Object> row = stage(cohort, STAGES[s]);
            assertThat(((Number) row.get("members")).longValue()).as(STAGES[s]).isEqualTo(reached);
            if (s > 0 && previous > 0) {
                assertThat(((Number) row.get("conversion")).doubleValue()).as(STAGES[s] + " conversion")
                        .isEqualTo(Math.round(10_000.0 * reached / previous) / 10_000.0);
            }
            if (s > 1 && reached > 0) {
                long median = Population.median(stages.stream().filter(m -> m[index] != null)
                        .map(m -> m[index] - m[index - 1]).toList());
                assertThat(((Number) row.get("medianMinutesFromPrevious")).longValue()).as(STAGES[s] + " median")
                        .isEqualTo(median);
            }
            previous = reached;
        }
    }

    /** The stage route lists (and counts) exactly the people the model says reached the stage, each once. */
    @SuppressWarnings("unchecked")
    private static void expectStageMembers(Api api, String query, List<Person> people, int stage) {
        Set<String> expected = people.stream().filter(p -> p.stageMinutes()[stage] != null).map(p -> p.memberId)
                .collect(Collectors.toSet());
        Set<String> listed = new HashSet<>();
        String after = null;
        do {
            Map<String, Object> page = api.get("/api/v1/funnels/private-domain/stages/" + STAGES[stage] + "/members?"
                    + query + "&limit=37" + (after == null ? "" : "&after=" + after));
            assertThat(((Number) page.get("count")).longValue()).as(STAGES[stage]).isEqualTo(expected.size());
            for (Map<String, Object> member : (List<Map<String, Object>>) page.get("members")) {
                assertThat(member).containsOnlyKeys("memberId", "registeredDay", "channel", "storeId", "tier",
                        "pointsBalance", "checkInStreak", "stageReachedAt");
                assertThat(listed.add((String) member.get("memberId"))).as("listed once").isTrue();
            }
            after = (String) page.get("nextAfter");
        } while (after != null);
        assertThat(listed).as(STAGES[stage] + " members").isEqualTo(expected);
    }

    private static void expectPreview(Api api, String criteria, long expected) {
        api.post("/api/v1/segments/preview", Map.of("criteria", json(criteria))).expectStatus().isOk()
                .expectBody().jsonPath("$.count").isEqualTo((int) expected);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> members(Api api, String segmentId) {
        Set<String> members = new HashSet<>();
        String after = null;
        do {
            Map<String, Object> page = api.get("/api/v1/segments/" + segmentId + "/members?limit=500"
                    + (after == null ? "" : "&after=" + after));
            List<String> ids = (List<String>) page.get("members");
            ids.forEach(id -> assertThat(members.add(id)).as("%s on one page only", id).isTrue());
            after = (String) page.get("nextAfter");
        } while (after != null);
        return members;
    }

    private static void inParallel(List<Person> people, Consumer<Person> call) {
        List<Future<?>> calls = new ArrayList<>();
        people.forEach(person -> calls.add(CALLERS.submit(() -> call.accept(person))));
        for (Future<?> done : calls) {
            try {
                done.get();
            } catch (Exception failed) {
                throw new AssertionError(failed);
            }
        }
    }

    private static long count(Population population, Predicate<Person> test) {
        return population.people.stream().filter(test).count();
    }

    private static Set<String> ids(Population population, Predicate<Person> test) {
        return population.people.stream().filter(test).map(p -> p.memberId).collect(Collectors.toSet());
    }

    private static Object json(String json) {
        try {
            return new ObjectMapper().readValue(json, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> body, String key) {
        return (List<Map<String, Object>>) body.get(key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> total(Map<String, Object> report) {
        return (Map<String, Object>) report.get("total");
    }

    private static Map<String, Object> stage(Map<String, Object> cohort, String stage) {
        return list(cohort, "stages").stream().filter(row -> stage.equals(row.get("stage"))).findFirst()
                .orElseThrow();
    }

    private static String week(LocalDate day) {
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return String.format("%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
                monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private static String month(LocalDate day) {
        return String.format("%d-%02d", day.getYear(), day.getMonthValue());
    }
}
