package io.siyu.engine.audience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A synthetic population and what it will do, decided up front from a seed, with the answers worked out here
 * independently of the engine (the model the funnel and segments are checked against).
 */
final class Population {

    static final class Person {
        final boolean weekB;
        final String channel;
        String memberId;
        final List<Instant> orders = new ArrayList<>();
        final List<Long> amounts = new ArrayList<>();
        Instant contactAt;
        Instant groupAt;

        Person(boolean weekB, String channel) {
            this.weekB = weekB;
            this.channel = channel;
        }

        long spendFen() {
            return amounts.stream().mapToLong(Long::longValue).sum();
        }

        /** Epoch minute each funnel stage was reached (sequential funnel), null after the first stage not reached. */
        Long[] stageMinutes() {
            List<Instant> sorted = orders.stream().sorted().toList();
            Instant[] own = {Instant.EPOCH, sorted.isEmpty() ? null : sorted.get(0),
                    sorted.size() < 2 ? null : sorted.get(1), contactAt, groupAt,
                    groupAt == null ? null : sorted.stream().filter(at -> at.isAfter(groupAt)).findFirst()
                            .orElse(null)};
            Long[] minutes = new Long[own.length];
            Instant previous = null;
            for (int s = 0; s < own.length; s++) {
                if (own[s] == null || (s > 0 && previous == null)) {
                    break;
                }
                previous = s == 0 ? own[0] : (own[s].isAfter(previous) ? own[s] : previous);
                minutes[s] = s == 0 ? 0L : Math.floorDiv(previous.toEpochMilli(), 60_000L);
            }
            return minutes;
        }
    }

    final List<Person> people = new ArrayList<>();

    Population(int weekA, int weekB, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < weekA + weekB; i++) {
            people.add(new Person(i >= weekA, random.nextInt(3) == 0 ? "pos" : "mini_program"));
        }
    }

    /** Decides purchases and WeCom facts relative to {@code now} (all in the past). */
    void decideActivity(Instant now, long seed) {
        Random random = new Random(seed);
        for (Person person : people) {
            boolean buys = random.nextInt(100) < 60;
            if (buys) {
                order(person, now.minus(Duration.ofMinutes(120 + random.nextInt(22 * 60))), random);
                if (random.nextInt(100) < 35) {
                    order(person, now.minus(Duration.ofMinutes(61 + random.nextInt(58))), random);
                }
            }
            if ((buys && random.nextInt(100) < 50) || random.nextInt(100) < 5) {
                person.contactAt = now.minus(Duration.ofMinutes(30 + random.nextInt(29)));
                if (random.nextInt(100) < 60) {
                    person.groupAt = now.minus(Duration.ofMinutes(10 + random.nextInt(19)));
                    if (buys && random.nextInt(100) < 40) {
                        order(person, now.minus(Duration.ofMinutes(1 + random.nextInt(8))), random);
                    }
                }
            }
        }
    }

    private static void order(Person person, Instant at, Random random) {
        person.orders.add(at);
        person.amounts.add(5_000L + random.nextInt(45_001));
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : Math.round((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
    }
}
