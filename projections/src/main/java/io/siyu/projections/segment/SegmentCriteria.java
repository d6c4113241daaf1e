package io.siyu.projections.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.siyu.api.purchase.SalesChannel;
import io.siyu.projections.audience.Criterion;
import io.siyu.projections.audience.FunnelStage;

/**
 * Reads a segment's criteria from JSON and says precisely what is wrong with them: an unknown criterion or field, a
 * value of the wrong type, an unknown tier, channel or stage, an empty list, a range whose minimum exceeds its
 * maximum. Every criterion is an object with exactly one key:
 * <pre>
 * {"and": [c, …]}  {"or": [c, …]}  {"not": c}
 * {"tier": {"in": ["gold"]}}                          {"pointsBalance": {"min": 100, "max": 500}}
 * {"spendInLastDays": {"days": 90, "minFen": 100000}}  {"purchasesInLastDays": {"days": 30, "min": 2}}
 * {"daysSinceLastPurchase": {"min": 30}}               {"checkInStreak": {"min": 7}}
 * {"funnelStage": {"reached": "wecom_contact"}}        {"inWeComGroup": {}} or {"inWeComGroup": {"chatId": "wr…"}}
 * {"hasWeComContact": {}}                              {"weComTag": {"tag": "VIP"}}
 * {"registrationChannel": {"in": ["mini_program"]}}    {"store": {"in": ["SH-001"]}}
 * {"consent": {"purpose": "marketing"}}                {"contactState": {"in": ["poster-1111"]}}
 * {"joinState": {"in": ["c-1212"]}}                     {"funnelStage": {"reached": "first_purchase", "minDaysAgo": 3}}
 * </pre>
 */
public final class SegmentCriteria {

    /** Deeper nesting than this is a mistake in a builder, not a segment. */
    static final int MAX_DEPTH = 16;
    static final int MAX_DAYS = 3660;
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("and", Set.of()), Map.entry("or", Set.of()), Map.entry("not", Set.of()),
            Map.entry("tier", Set.of("in")),
            Map.entry("pointsBalance", Set.of("min", "max")),
            Map.entry("spendInLastDays", Set.of("days", "minFen", "maxFen")),
            Map.entry("purchasesInLastDays", Set.of("days", "min", "max")),
            Map.entry("daysSinceLastPurchase", Set.of("min", "max")),
            Map.entry("checkInStreak", Set.of("min")),
            Map.entry("funnelStage", Set.of("reached", "minDaysAgo")),
            Map.entry("inWeComGroup", Set.of("chatId")),
            Map.entry("hasWeComContact", Set.of()),
            Map.entry("weComTag", Set.of("tag")),
            Map.entry("registrationChannel", Set.of("in")),
            Map.entry("store", Set.of("in")),
            Map.entry("contactState", Set.of("in")),
            Map.entry("joinState", Set.of("in")),
            Map.entry("consent", Set.of("purpose")));

    private final Set<String> tiers;
    private final List<InvalidSegmentException.Problem> problems = new ArrayList<>();

    private SegmentCriteria(Set<String> tiers) {
        this.tiers = tiers;
    }

    /**
     * @param criteria the JSON criteria
     * @param path     the field name to report problems under, e.g. {@code criteria}
     * @param tiers    the tier codes that exist
     * @return the criterion
     * @throws InvalidSegmentException listing every problem found
     */
    public static Criterion parse(JsonNode criteria, String path, Set<String> tiers) {
        SegmentCriteria parser = new SegmentCriteria(tiers);
        Criterion criterion = parser.criterion(criteria, path, 0);
        if (!parser.problems.isEmpty()) {
            throw new InvalidSegmentException(parser.problems);
        }
        return criterion;
    }

    private Criterion criterion(JsonNode node, String path, int depth) {
        if (node == null || node.isNull()) {
            return problem(path, "is required");
        }
        if (!node.isObject() || node.size() != 1) {
            return problem(path, "must be an object with exactly one criterion, one of " + new TreeSet<>(FIELDS.keySet()));
        }
        if (depth > MAX_DEPTH) {
            return problem(path, "nests deeper than " + MAX_DEPTH + " levels");
        }
        String name = node.fieldNames().next();
        JsonNode value = node.get(name);
        String at = path + "." + name;
        if (!FIELDS.containsKey(name)) {
            return problem(at, "is not a criterion; use one of " + new TreeSet<>(FIELDS.keySet()));
        }
        switch (name) {
            case "and":
                return combination(value, at, depth, Criterion.And::new);
            case "or":
                return combination(value, at, depth, Criterion.Or::new);
            case "not":
                Criterion negated = criterion(value, at, depth + 1);
                return negated == null ? null : new Criterion.Not(negated);
            default:
                break;
        }
        if (!value.isObject()) {
            return problem(at, "must be an object");
        }
        for (Iterator<String> fields = value.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FIELDS.get(name).contains(field)) {
                problem(at + "." + field, "is not a field of " + name + "; its fields are "
                        + new TreeSet<>(FIELDS.get(name)));
            }
        }
        switch (name) {
            case "tier": {
                Set<String> wanted = strings(value, at, "in");
                wanted.stream().filter(tier -> !tiers.contains(tier)).forEach(tier ->
                        problem(at + ".in", "has unknown tier '" + tier + "'; tiers are " + tiers));
                return new Criterion.TierIn(wanted);
            }
            case "pointsBalance": {
                Long min = number(value, at, "min", 0, Long.MAX_VALUE);
                Long max = number(value, at, "max", 0, Long.MAX_VALUE);
                range(at, min, max, true);
                return new Criterion.PointsBalance(min, max);
            }
            case "spendInLastDays": {
                Integer days = days(value, at);
                Long min = number(value, at, "minFen", 0, Long.MAX_VALUE);
                Long max = number(value, at, "maxFen", 0, Long.MAX_VALUE);
                range(at, min, max, true);
                return days == null ? null : new Criterion.SpendInLastDays(days, min, max);
            }
            case "purchasesInLastDays": {
                Integer days = days(value, at);
                Long min = number(value, at, "min", 0, Integer.MAX_VALUE);
                Long max = number(value, at, "max", 0, Integer.MAX_VALUE);
                range(at, min, max, true);
                return days == null ? null : new Criterion.PurchasesInLastDays(days, toInt(min), toInt(max));
            }
            case "daysSinceLastPurchase": {
                Long min = number(value, at, "min", 0, MAX_DAYS);
                Long max = number(value, at, "max", 0, MAX_DAYS);
                range(at, min, max, true);
                return new Criterion.DaysSinceLastPurchase(toInt(min), toInt(max));
            }
            case "checkInStreak": {
                Long min = number(value, at, "min", 1, MAX_DAYS);
                if (min == null) {
                    problem(at + ".min", "is required");
                    return null;
                }
                return new Criterion.CheckInStreak(min.intValue());
            }
            case "funnelStage": {
                String stage = text(value, at, "reached", true);
                if (stage == null) {
                    return null;
                }
                if (FunnelStage.fromCode(stage).isEmpty()) {
                    return problem(at + ".reached", "is not a stage; stages are "
                            + Arrays.stream(FunnelStage.values()).map(FunnelStage::code).toList());
                }
                Long minDaysAgo = number(value, at, "minDaysAgo", 0, MAX_DAYS);
                return new Criterion.FunnelStageReached(FunnelStage.fromCode(stage).get(),
                        minDaysAgo == null ? 0 : minDaysAgo.intValue());
            }
            case "inWeComGroup":
                return new Criterion.InWeComGroup(text(value, at, "chatId", false));
            case "hasWeComContact":
                return new Criterion.HasWeComContact();
            case "weComTag": {
                String tag = text(value, at, "tag", true);
                return tag == null ? null : new Criterion.WeComTag(tag);
            }
            case "registrationChannel": {
                Set<SalesChannel> channels = new LinkedHashSet<>();
                for (String code : strings(value, at, "in")) {
                    SalesChannel.fromCode(code).ifPresentOrElse(channels::add, () -> problem(at + ".in",
                            "has unknown channel '" + code + "'; channels are " + SalesChannel.codes()));
                }
                return new Criterion.RegistrationChannel(channels);
            }
            case "store":
                return new Criterion.StoreIn(strings(value, at, "in"));
            case "contactState":
                return new Criterion.ContactStateIn(strings(value, at, "in"));
            case "joinState":
                return new Criterion.JoinStateIn(strings(value, at, "in"));
            case "consent": {
                String purpose = text(value, at, "purpose", true);
                return purpose == null ? null : new Criterion.Consents(purpose);
            }
            default:
                throw new IllegalStateException(name);
        }
    }

    private Criterion combination(JsonNode value, String at, int depth,
                                  Function<List<Criterion>, Criterion> combine) {
        if (!value.isArray() || value.isEmpty()) {
            return problem(at, "must be a non-empty array of criteria");
        }
        List<Criterion> parts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            parts.add(criterion(value.get(i), at + "[" + i + "]", depth + 1));
        }
        return parts.contains(null) ? null : combine.apply(parts);
    }

    private Integer days(JsonNode value, String at) {
        Long days = number(value, at, "days", 1, MAX_DAYS);
        if (days == null && !value.has("days")) {
            problem(at + ".days", "is required");
        }
        return toInt(days);
    }

    private Long number(JsonNode value, String at, String field, long min, long max) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problem(at + "." + field, "must be a whole number");
            return null;
        }
        long number = node.asLong();
        if (number < min || number > max) {
            problem(at + "." + field, "must be between " + min + " and " + max);
            return null;
        }
        return number;
    }

    private void range(String at, Long min, Long max, boolean needsOne) {
        if (needsOne && min == null && max == null) {
            problem(at, "needs a min or a max (or both)");
        }
        if (min != null && max != null && min > max) {
            problem(at, "is an impossible range: min " + min + " is greater than max " + max);
        }
    }

    private String text(JsonNode value, String at, String field, boolean required) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                problem(at + "." + field, "is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 128) {
            problem(at + "." + field, "must be a non-blank string of at most 128 characters");
            return null;
        }
        return node.asText();
    }

    private Set<String> strings(JsonNode value, String at, String field) {
        JsonNode node = value.get(field);
        Set<String> strings = new LinkedHashSet<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problem(at + "." + field, "must be a non-empty array of strings");
            return strings;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                problem(at + "." + field + "[" + i + "]", "must be a string");
            } else {
                strings.add(node.get(i).asText());
            }
        }
        return strings;
    }

    private static Integer toInt(Long value) {
        return value == null ? null : value.intValue();
    }

    private Criterion problem(String field, String reason) {
        problems.add(new InvalidSegmentException.Problem(field, reason));
        return null;
    }
}
