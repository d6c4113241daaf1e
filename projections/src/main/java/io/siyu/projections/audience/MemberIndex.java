package io.siyu.projections.audience;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.mongodb.reactivestreams.client.MongoCollection;

import io.siyu.api.purchase.SalesChannel;
import reactor.core.publisher.Flux;

/**
 * Every member's facts in memory, column by column, so that a segment over a million members is counted in
 * milliseconds: each criterion turns a column into a bit set (one bit per member), and AND / OR / NOT are bit set
 * operations. Built from {@code member_facts} when the node starts and kept current by
 * {@link MemberFactsProjection} after every batch. Members are numbered in the order they arrive; registration
 * days keep their members in lists, so the funnel visits only the members of the cohorts asked for.
 * <p>
 * Readers and the processor share a read-write lock: a count or a page sees a batch entirely or not at all.
 */
@Component
public class MemberIndex {

    private static final Logger log = LoggerFactory.getLogger(MemberIndex.class);
    static final int NONE = Integer.MIN_VALUE;
    private static final int STAGES = FunnelStage.values().length;
    /** Below this many members a selection runs on the caller's thread; above, on every core, a range each. */
    private static final int PART = 65_536;
    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    private static final String[] NO_STRINGS = new String[0];

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    final ZoneId zone;
    final String baseTier;

    int size;
    String[] ids = new String[1024];
    private Map<String, Integer> numbers = new HashMap<>();
    int[] registeredDay = new int[1024];
    byte[] channel = new byte[1024];
    int[] store = new int[1024];
    /** The {@code state} of the contact way the member first became a WeCom contact through. */
    int[] contactState = new int[1024];
    int[] tier = new int[1024];
    long[] balance = new long[1024];
    int[] streak = new int[1024];
    int[] lastCheckInDay = new int[1024];
    /** The business day of the member's latest redemption (points or a reward), or {@link #NONE}. */
    int[] lastRedeemDay = new int[1024];
    int[][] orderMinute = new int[1024][];
    int[] lastOrderMinute = new int[1024];
    long[][] orderNetFen = new long[1024][];
    int[][] stageMinute = new int[STAGES][1024];
    int[] contactCount = new int[1024];
    String[][] groupsOf = new String[1024][];
    String[][] tagsOf = new String[1024][];
    String[][] segmentsOf = new String[1024][];
    String[][] consentsOf = new String[1024][];
    /** The {@code state}s of the group join ways the member joined groups through. */
    String[][] joinStatesOf = new String[1024][];
    /** Per member, the (segment, entered day, left day) stays it contributes to {@link #growth}. */
    long[][] staysOf = new long[1024][];
    private Map<String, TreeMap<Integer, int[]>> growth = new HashMap<>();
    private Dictionary segmentIds = new Dictionary();
    BitSet inAnyGroup = new BitSet();
    Map<String, BitSet> groups = new HashMap<>();
    Map<String, BitSet> tags = new HashMap<>();
    Map<String, BitSet> segments = new HashMap<>();
    Map<String, BitSet> consents = new HashMap<>();
    Map<String, BitSet> joinStates = new HashMap<>();
    Dictionary stores = new Dictionary();
    Dictionary contactStates = new Dictionary();
    Dictionary tiers = new Dictionary();
    private NavigableMap<Integer, IntList> cohorts = new TreeMap<>();

    MemberIndex(@Value("${siyu.business-zone:Asia/Shanghai}") ZoneId zone,
                @Value("${siyu.tiers.levels[0].code:member}") String baseTier) {
        this.zone = zone;
        this.baseTier = baseTier;
    }

    /** Reads every member's facts from the read model (once, when the node starts). */
    void load(MongoCollection<Document> facts) {
        long started = System.nanoTime();
        List<Document> batch = new ArrayList<>(1000);
        Flux.from(facts.find().batchSize(1000)).doOnNext(member -> {
            batch.add(member);
            if (batch.size() == 1000) {
                apply(List.copyOf(batch));
                batch.clear();
            }
        }).blockLast();
        apply(batch);
        log.info("member index: {} members loaded in {} ms", size, (System.nanoTime() - started) / 1_000_000);
    }

    /** Reads the index again from the read model, off to the side, then swaps it in at once. */
    void reload(MongoCollection<Document> facts) {
        MemberIndex fresh = new MemberIndex(zone, baseTier);
        fresh.load(facts);
        write(() -> {
            size = fresh.size;
            ids = fresh.ids;
            numbers = fresh.numbers;
            registeredDay = fresh.registeredDay;
            channel = fresh.channel;
            store = fresh.store;
            contactState = fresh.contactState;
            tier = fresh.tier;
            balance = fresh.balance;
            streak = fresh.streak;
            lastCheckInDay = fresh.lastCheckInDay;
            lastRedeemDay = fresh.lastRedeemDay;
            orderMinute = fresh.orderMinute;
            lastOrderMinute = fresh.lastOrderMinute;
            orderNetFen = fresh.orderNetFen;
            stageMinute = fresh.stageMinute;
            contactCount = fresh.contactCount;
            groupsOf = fresh.groupsOf;
            tagsOf = fresh.tagsOf;
            segmentsOf = fresh.segmentsOf;
            consentsOf = fresh.consentsOf;
            joinStatesOf = fresh.joinStatesOf;
            joinStates = fresh.joinStates;
            staysOf = fresh.staysOf;
            growth = fresh.growth;
            segmentIds = fresh.segmentIds;
            inAnyGroup = fresh.inAnyGroup;
            groups = fresh.groups;
            tags = fresh.tags;
            segments = fresh.segments;
            consents = fresh.consents;
            stores = fresh.stores;
            contactStates = fresh.contactStates;
            tiers = fresh.tiers;
            cohorts = fresh.cohorts;
            return null;
        });
    }

    void clear() {
        write(() -> {
            numbers.clear();
            size = 0;
            inAnyGroup.clear();
            groups.clear();
            tags.clear();
            segments.clear();
            consents.clear();
            joinStates.clear();
            cohorts.clear();
            growth.clear();
            return null;
        });
    }

    /** Takes the current facts of the members a batch changed. */
    void apply(List<Document> changed) {
        write(() -> {
            changed.forEach(this::put);
            return null;
        });
    }

    /** @return the members the criterion selects at {@code now} */
    public BitSet select(Criterion criterion, Instant now) {
        return read(() -> {
            int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), size / PART));
            if (parts == 1) {
                return criterion.select(this, now, 0, size);
            }
            int step = (size / parts + 63) & ~63;
            return IntStream.range(0, parts).parallel()
                    .mapToObj(part -> criterion.select(this, now, Math.min(size, part * step),
                            part == parts - 1 ? size : Math.min(size, (part + 1) * step)))
                    .reduce((a, b) -> {
                        a.or(b);
                        return a;
                    }).orElseGet(BitSet::new);
        });
    }

    /** @return the members recorded in a saved segment (from {@code MemberEnteredSegment} / {@code MemberLeftSegment}) */
    public BitSet recorded(String segmentId) {
        return read(() -> (BitSet) segments.getOrDefault(segmentId, new BitSet()).clone());
    }

    /** @return how many members are in the index */
    public int size() {
        return read(() -> size);
    }

    /**
     * @param selected members selected by {@link #select} or {@link #recorded}
     * @param after    the last member id of the previous page, or {@code null} for the first page
     * @param limit    how many member ids at most
     * @return the next member ids of the selection, in the index's order
     */
    public List<String> page(BitSet selected, String after, int limit) {
        return read(() -> {
            int from = after == null ? 0 : numbers.getOrDefault(after, -1) + 1;
            List<String> page = new ArrayList<>(limit);
            for (int m = selected.nextSetBit(from); m >= 0 && m < size && page.size() < limit;
                 m = selected.nextSetBit(m + 1)) {
                page.add(ids[m]);
            }
            return page;
        });
    }

    /** One member of a cohort, as the funnel sees it. */
    public interface CohortVisitor {
        /**
         * @param registeredDay the business day the member registered on
         * @param stageMinutes  per {@link FunnelStage} ordinal, the epoch minute it was reached, or {@link Integer#MIN_VALUE}
         */
        void visit(LocalDate registeredDay, int[] stageMinutes);
    }

    /**
     * Which members of the registration cohorts a funnel counts: all, or only those of one registration channel, one
     * store, who first became a WeCom contact through the contact way with one {@code state}, and who joined a group
     * through the join way with one {@code joinState} ({@code null}: any).
     */
    public record Cut(String channel, String store, String contactState, String joinState) {

        public static final Cut ALL = new Cut(null, null, null, null);

        public Cut(String channel, String store, String contactState) {
            this(channel, store, contactState, null);
        }
    }

    /**
     * Visits the members who registered on the business days {@code [from, to]} and fall in {@code cut}, without
     * touching any other member.
     */
    public void visitCohorts(LocalDate from, LocalDate to, Cut cut, CohortVisitor visitor) {
        read(() -> {
            visit(from, to, cut, (m, registered, stages) -> visitor.visit(registered, stages));
            return null;
        });
    }

    private interface NumberedVisitor {
        void visit(int member, LocalDate registeredDay, int[] stageMinutes);
    }

    /** {@link #visitCohorts} with the member's number; the caller holds the read lock. */
    private void visit(LocalDate from, LocalDate to, Cut cut, NumberedVisitor visitor) {
        int wantedChannel = cut.channel() == null ? -1
                : SalesChannel.fromCode(cut.channel()).map(Enum::ordinal).orElse(Integer.MAX_VALUE);
        int wantedStore = cut.store() == null ? NONE : stores.find(cut.store());
        int wantedState = cut.contactState() == null ? NONE : contactStates.find(cut.contactState());
        if ((cut.store() != null && wantedStore == NONE) || wantedChannel == Integer.MAX_VALUE
                || (cut.contactState() != null && wantedState == NONE)) {
            return;
        }
        BitSet joined = cut.joinState() == null ? null : joinStates.get(cut.joinState());
        if (cut.joinState() != null && joined == null) {
            return;
        }
        int[] stagesOfMember = new int[STAGES];
        for (Map.Entry<Integer, IntList> day : cohorts.subMap((int) from.toEpochDay(), true,
                (int) to.toEpochDay(), true).entrySet()) {
            LocalDate registered = LocalDate.ofEpochDay(day.getKey());
            IntList members = day.getValue();
            for (int i = 0; i < members.size; i++) {
                int m = members.values[i];
                if ((wantedChannel >= 0 && channel[m] != wantedChannel)
                        || (wantedStore != NONE && store[m] != wantedStore)
                        || (wantedState != NONE && contactState[m] != wantedState)
                        || (joined != null && !joined.get(m))) {
                    continue;
                }
                for (int s = 0; s < STAGES; s++) {
                    stagesOfMember[s] = stageMinute[s][m];
                }
                visitor.visit(m, registered, stagesOfMember);
            }
        }
    }

    /**
     * The programme at a glance, in one pass over the columns (about a millisecond per million members).
     *
     * @param members     every member in the index
     * @param active      members with a check-in, a purchase or a redemption on one of the {@code activeDays}
     *                    business days up to and including {@code today}
     * @param outstanding points on members' balances (what the brand owes)
     * @param tiers       members per tier code
     */
    public record Overview(int members, int active, long outstanding, Map<String, Integer> tiers) {
    }

    public Overview overview(LocalDate today, int activeDays) {
        return read(() -> {
            int since = (int) today.toEpochDay() - activeDays + 1;
            int active = 0;
            long outstanding = 0;
            int[] perTier = new int[tiers.names.size()];
            for (int m = 0; m < size; m++) {
                int lastOrderDay = lastOrderMinute[m] == NONE ? NONE : (int) LocalDate.ofInstant(
                        Instant.ofEpochSecond(lastOrderMinute[m] * 60L), zone).toEpochDay();
                if (lastCheckInDay[m] >= since || lastRedeemDay[m] >= since || lastOrderDay >= since) {
                    active++;
                }
                outstanding += balance[m];
                perTier[tier[m]]++;
            }
            Map<String, Integer> byTier = new java.util.LinkedHashMap<>();
            for (int t = 0; t < perTier.length; t++) {
                byTier.put(tiers.name(t), perTier[t]);
            }
            return new Overview(size, active, outstanding, byTier);
        });
    }

    /** A member as a marketer may see one: figures and where they came from, nothing that identifies the person. */
    public record MemberSummary(String memberId, LocalDate registeredDay, String channel, String storeId,
                                String tier, long pointsBalance, int checkInStreak, Instant stageReachedAt) {
    }

    /** One page of the members a funnel stage counted, in the index's order. */
    public record StageMembers(long count, List<MemberSummary> members, String nextAfter) {
    }

    /**
     * The members of the registration days {@code [from, to]} in {@code cut} who reached {@code stage} (and every
     * stage before it, as the funnel counts) by {@code asOf}.
     */
    public StageMembers stageMembers(LocalDate from, LocalDate to, Cut cut, FunnelStage stage, Instant asOf,
                                     String after, int limit) {
        int asOfMinute = minute(asOf);
        IntList reached = new IntList();
        return read(() -> {
            visit(from, to, cut, (m, registered, stages) -> {
                for (int s = 0; s <= stage.ordinal(); s++) {
                    if (stages[s] == NONE || stages[s] > asOfMinute) {
                        return;
                    }
                }
                reached.add(m);
            });
            int[] sorted = Arrays.copyOf(reached.values, reached.size);
            Arrays.sort(sorted);
            int start = 0;
            if (after != null) {
                Integer afterNumber = numbers.get(after);
                if (afterNumber == null) {
                    throw new IllegalArgumentException("is not a member id from a page's nextAfter");
                }
                int position = Arrays.binarySearch(sorted, afterNumber);
                start = position >= 0 ? position + 1 : -position - 1;
            }
            // the streak as it stands on asOf's business day: 0 once a day has been missed
            int yesterday = (int) LocalDate.ofInstant(asOf, zone).toEpochDay() - 1;
            List<MemberSummary> page = new ArrayList<>();
            for (int i = start; i < sorted.length && page.size() < limit; i++) {
                int m = sorted[i];
                page.add(new MemberSummary(ids[m], LocalDate.ofEpochDay(registeredDay[m]),
                        SalesChannel.values()[channel[m]].code(), store[m] == NONE ? null : stores.name(store[m]),
                        tiers.name(tier[m]), balance[m],
                        lastCheckInDay[m] != NONE && lastCheckInDay[m] >= yesterday ? streak[m] : 0,
                        Instant.ofEpochSecond(stageMinute[stage.ordinal()][m] * 60L)));
            }
            boolean more = start + page.size() < sorted.length;
            return new StageMembers(sorted.length, page, more ? page.get(page.size() - 1).memberId() : null);
        });
    }

    private void put(Document member) {
        String id = member.getString("_id");
        Integer known = numbers.get(id);
        int m = known == null ? add(id) : known;
        Date registeredAt = member.getDate("registeredAt");
        int day = registeredAt == null ? NONE : (int) LocalDate.ofInstant(registeredAt.toInstant(), zone).toEpochDay();
        if (registeredDay[m] != day) {
            if (registeredDay[m] != NONE) {
                cohorts.get(registeredDay[m]).remove(m);
            }
            if (day != NONE) {
                cohorts.computeIfAbsent(day, key -> new IntList()).add(m);
            }
            registeredDay[m] = day;
        }
        channel[m] = (byte) SalesChannel.fromCode(member.getString("channel")).orElse(SalesChannel.MINI_PROGRAM)
                .ordinal();
        store[m] = member.getString("storeId") == null ? NONE : stores.intern(member.getString("storeId"));
        String state = member.getString("firstContactState");
        contactState[m] = state == null ? NONE : contactStates.intern(state);
        tier[m] = tiers.intern(member.getString("tier") == null ? baseTier : member.getString("tier"));
        balance[m] = member.get("balance", 0L);
        streak[m] = member.get("streak", 0);
        String lastDay = member.getString("lastCheckInDay");
        lastCheckInDay[m] = lastDay == null ? NONE : (int) LocalDate.parse(lastDay).toEpochDay();
        Date redeemedAt = member.getDate("lastRedeemedAt");
        lastRedeemDay[m] = redeemedAt == null ? NONE
                : (int) LocalDate.ofInstant(redeemedAt.toInstant(), zone).toEpochDay();
        List<Document> orders = member.getList("orders", Document.class, List.of());
        int[] minutes = orders.isEmpty() ? NO_INTS : new int[orders.size()];
        long[] net = orders.isEmpty() ? NO_LONGS : new long[orders.size()];
        for (int i = 0; i < orders.size(); i++) {
            minutes[i] = minute(orders.get(i).getDate("at"));
            net[i] = orders.get(i).get("amountFen", 0L) - orders.get(i).get("refundedFen", 0L);
        }
        orderMinute[m] = minutes;
        lastOrderMinute[m] = minutes.length == 0 ? NONE : minutes[minutes.length - 1];
        orderNetFen[m] = net;
        Document stages = member.get("stages", new Document());
        for (FunnelStage stage : FunnelStage.values()) {
            Date at = stages.getDate(stage.code());
            stageMinute[stage.ordinal()][m] = at == null ? NONE : minute(at);
        }
        contactCount[m] = member.getList("contacts", Document.class, List.of()).size();
        groupsOf[m] = reassign(groups, groupsOf[m], member.getList("groups", Document.class, List.of()).stream()
                .map(group -> group.getString("chatId")).distinct().toArray(String[]::new), m);
        inAnyGroup.set(m, groupsOf[m].length > 0);
        tagsOf[m] = reassign(tags, tagsOf[m], member.get("tags", new Document()).values().stream()
                .flatMap(list -> ((List<?>) list).stream()).map(String.class::cast).distinct()
                .toArray(String[]::new), m);
        segmentsOf[m] = reassign(segments, segmentsOf[m],
                member.getList("segments", String.class, List.of()).toArray(String[]::new), m);
        stays(m, member.getList("segmentLog", Document.class, List.of()));
        consentsOf[m] = reassign(consents, consentsOf[m], member.get("consents", new Document()).entrySet().stream()
                .filter(consent -> Boolean.TRUE.equals(consent.getValue())).map(Map.Entry::getKey)
                .toArray(String[]::new), m);
        joinStatesOf[m] = reassign(joinStates, joinStatesOf[m],
                member.getList("joinStates", String.class, List.of()).toArray(String[]::new), m);
    }

    /**
     * Replaces the member's contribution to the segments' daily entries and exits: what the member's stays counted
     * before is taken away and what they count now is added, so a document applied twice counts once.
     */
    private void stays(int m, List<Document> log) {
        for (long stay : staysOf[m] == null ? new long[0] : staysOf[m]) {
            count(stay, -1);
        }
        long[] now = new long[log.size()];
        for (int i = 0; i < log.size(); i++) {
            Document entry = log.get(i);
            int segment = segmentIds.intern(entry.getString("segmentId"));
            int entered = (int) LocalDate.ofInstant(entry.getDate("enteredAt").toInstant(), zone).toEpochDay();
            Date leftAt = entry.getDate("leftAt");
            int left = leftAt == null ? NONE : (int) LocalDate.ofInstant(leftAt.toInstant(), zone).toEpochDay();
            now[i] = ((long) segment << 42) | ((long) (entered & 0x1FFFFF) << 21) | (left == NONE ? 0x1FFFFF : left);
            count(now[i], 1);
        }
        staysOf[m] = now;
    }

    private void count(long stay, int delta) {
        String segment = segmentIds.name((int) (stay >>> 42));
        int entered = (int) ((stay >>> 21) & 0x1FFFFF);
        int left = (int) (stay & 0x1FFFFF);
        TreeMap<Integer, int[]> days = growth.computeIfAbsent(segment, key -> new TreeMap<>());
        days.computeIfAbsent(entered, day -> new int[2])[0] += delta;
        if (left != 0x1FFFFF) {
            days.computeIfAbsent(left, day -> new int[2])[1] += delta;
        }
    }

    /** One day of a segment's recorded membership. */
    public record GrowthDay(LocalDate day, int entered, int left, int members) {
    }

    /**
     * @return each business day in {@code [from, to]}: members who entered and left the saved segment that day, and
     *         how many were in it at the end of the day
     */
    public List<GrowthDay> growth(String segmentId, LocalDate from, LocalDate to) {
        return read(() -> {
            NavigableMap<Integer, int[]> days = growth.getOrDefault(segmentId, new TreeMap<>());
            int members = 0;
            for (int[] counts : days.headMap((int) from.toEpochDay(), false).values()) {
                members += counts[0] - counts[1];
            }
            List<GrowthDay> series = new ArrayList<>();
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                int[] counts = days.getOrDefault((int) day.toEpochDay(), new int[2]);
                members += counts[0] - counts[1];
                series.add(new GrowthDay(day, counts[0], counts[1], members));
            }
            return series;
        });
    }

    private static String[] reassign(Map<String, BitSet> sets, String[] before, String[] now, int m) {
        for (String key : before == null ? NO_STRINGS : before) {
            sets.get(key).clear(m);
        }
        for (String key : now) {
            sets.computeIfAbsent(key, k -> new BitSet()).set(m);
        }
        return now.length == 0 ? NO_STRINGS : now;
    }

    private int add(String id) {
        if (size == ids.length) {
            grow(ids.length * 2);
        }
        int m = size++;
        ids[m] = id;
        numbers.put(id, m);
        registeredDay[m] = NONE;
        groupsOf[m] = null;
        tagsOf[m] = null;
        segmentsOf[m] = null;
        consentsOf[m] = null;
        joinStatesOf[m] = null;
        staysOf[m] = null;
        return m;
    }

    private void grow(int capacity) {
        ids = Arrays.copyOf(ids, capacity);
        registeredDay = Arrays.copyOf(registeredDay, capacity);
        channel = Arrays.copyOf(channel, capacity);
        store = Arrays.copyOf(store, capacity);
        contactState = Arrays.copyOf(contactState, capacity);
        tier = Arrays.copyOf(tier, capacity);
        balance = Arrays.copyOf(balance, capacity);
        streak = Arrays.copyOf(streak, capacity);
        lastCheckInDay = Arrays.copyOf(lastCheckInDay, capacity);
        lastRedeemDay = Arrays.copyOf(lastRedeemDay, capacity);
        orderMinute = Arrays.copyOf(orderMinute, capacity);
        lastOrderMinute = Arrays.copyOf(lastOrderMinute, capacity);
        orderNetFen = Arrays.copyOf(orderNetFen, capacity);
        for (int s = 0; s < STAGES; s++) {
            stageMinute[s] = Arrays.copyOf(stageMinute[s], capacity);
        }
        contactCount = Arrays.copyOf(contactCount, capacity);
        groupsOf = Arrays.copyOf(groupsOf, capacity);
        tagsOf = Arrays.copyOf(tagsOf, capacity);
        segmentsOf = Arrays.copyOf(segmentsOf, capacity);
        consentsOf = Arrays.copyOf(consentsOf, capacity);
        joinStatesOf = Arrays.copyOf(joinStatesOf, capacity);
        staysOf = Arrays.copyOf(staysOf, capacity);
    }

    static int minute(Date at) {
        return (int) Math.floorDiv(at.getTime(), 60_000L);
    }

    static int minute(Instant at) {
        return (int) Math.floorDiv(at.toEpochMilli(), 60_000L);
    }

    private <T> T read(Supplier<T> reading) {
        lock.readLock().lock();
        try {
            return reading.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> writing) {
        lock.writeLock().lock();
        try {
            return writing.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Strings (store ids, tier codes) as small integers, so a column compares ints. */
    static final class Dictionary {
        private final Map<String, Integer> codes = new HashMap<>();
        private final List<String> names = new ArrayList<>();

        int intern(String value) {
            return codes.computeIfAbsent(value, key -> {
                names.add(key);
                return names.size() - 1;
            });
        }

        String name(int code) {
            return names.get(code);
        }

        /** @return the value's code, or {@link #NONE} when no member has it */
        int find(String value) {
            return codes.getOrDefault(value, NONE);
        }
    }

    /** A growable list of member numbers. */
    static final class IntList {
        int[] values = new int[8];
        int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void remove(int value) {
            for (int i = 0; i < size; i++) {
                if (values[i] == value) {
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    size--;
                    return;
                }
            }
        }
    }
}
