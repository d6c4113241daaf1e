package io.siyu.projections.funnel;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import io.siyu.projections.audience.FunnelStage;
import io.siyu.projections.audience.MemberIndex;

/**
 * The private-domain funnel by registration cohort: how many members reached each stage, the share of the previous
 * stage that went on, and the median time it took. Computed from the stage times the {@code member-facts} projection
 * keeps per member, visiting only the members who registered in the days asked for; {@code asOf} counts only stages
 * reached (and registrations made) by then.
 */
@Component
public class PrivateDomainFunnel {

    public enum CohortBy { WEEK, MONTH }

    /** One stage of one cohort; the conversion and median are from the previous stage (none for the first). */
    public record Stage(String stage, long members, Double conversion, Long medianMinutesFromPrevious,
                        String medianFromPrevious) {
    }

    public record Cohort(String cohort, LocalDate firstDay, List<Stage> stages) {
    }

    public record Report(LocalDate from, LocalDate to, String cohortBy, String channel, String store,
                         String contactState, String joinState, Instant asOf, List<Cohort> cohorts, Cohort total) {
    }

    private static final int STAGES = FunnelStage.values().length;
    private final MemberIndex index;

    public PrivateDomainFunnel(MemberIndex index) {
        this.index = index;
    }

    public Report report(LocalDate from, LocalDate to, CohortBy cohortBy, MemberIndex.Cut cut, Instant asOf) {
        int asOfMinute = (int) Math.floorDiv(asOf.toEpochMilli(), 60_000L);
        Map<LocalDate, Tally> cohorts = new TreeMap<>();
        Tally total = new Tally();
        LocalDate[] day = {null};
        Tally[] cohortOfDay = {null};
        index.visitCohorts(from, to, cut, (registered, stages) -> {
            if (stages[0] == Integer.MIN_VALUE || stages[0] > asOfMinute) {
                return;
            }
            if (registered != day[0]) {
                // a day's members arrive together: find their cohort once
                day[0] = registered;
                cohortOfDay[0] = cohorts.computeIfAbsent(firstDay(registered, cohortBy), first -> new Tally());
            }
            cohortOfDay[0].add(stages, asOfMinute);
            total.add(stages, asOfMinute);
        });
        List<Cohort> rows = new ArrayList<>();
        cohorts.forEach((firstDay, tally) -> rows.add(tally.cohort(label(firstDay, cohortBy), firstDay)));
        return new Report(from, to, cohortBy.name().toLowerCase(), cut.channel(), cut.store(), cut.contactState(),
                cut.joinState(), asOf, rows, total.cohort("all", from));
    }

    /** @return the first day of the cohort {@code day} falls in: its week's Monday or its month's 1st */
    public static LocalDate firstDayOf(LocalDate day, CohortBy cohortBy) {
        return firstDay(day, cohortBy);
    }

    static LocalDate firstDay(LocalDate day, CohortBy cohortBy) {
        return cohortBy == CohortBy.WEEK ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                : day.withDayOfMonth(1);
    }

    static String label(LocalDate firstDay, CohortBy cohortBy) {
        return cohortBy == CohortBy.WEEK
                ? String.format("%d-W%02d", firstDay.get(IsoFields.WEEK_BASED_YEAR),
                firstDay.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))
                : String.format("%d-%02d", firstDay.getYear(), firstDay.getMonthValue());
    }

    /** Counts and the minutes each step took, for one cohort. */
    private static final class Tally {
        private final long[] reached = new long[STAGES];
        private final int[][] minutes = new int[STAGES][16];

        void add(int[] stages, int asOfMinute) {
            for (int s = 0; s < STAGES; s++) {
                if (stages[s] == Integer.MIN_VALUE || stages[s] > asOfMinute) {
                    return;
                }
                if (s > 0) {
                    int at = (int) reached[s];
                    if (at == minutes[s].length) {
                        minutes[s] = Arrays.copyOf(minutes[s], at * 2);
                    }
                    minutes[s][at] = stages[s] - stages[s - 1];
                }
                reached[s]++;
            }
        }

        Cohort cohort(String label, LocalDate firstDay) {
            List<Stage> stages = new ArrayList<>();
            for (FunnelStage stage : FunnelStage.values()) {
                int s = stage.ordinal();
                Double conversion = s == 0 || reached[s - 1] == 0 ? null
                        : Math.round(10_000.0 * reached[s] / reached[s - 1]) / 10_000.0;
                Long median = s == 0 || reached[s] == 0 ? null : median(minutes[s], (int) reached[s]);
                stages.add(new Stage(stage.code(), reached[s], conversion, median,
                        median == null ? null : Duration.ofMinutes(median).toString()));
            }
            return new Cohort(label, firstDay, stages);
        }

        private static long median(int[] values, int count) {
            int[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return count % 2 == 1 ? sorted[count / 2]
                    : Math.round((sorted[count / 2 - 1] + (long) sorted[count / 2]) / 2.0);
        }
    }
}
