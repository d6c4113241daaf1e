package io.siyu.engine.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's clock while demo data is made: it starts {@code behind} in the past and runs on from there; the
 * generator moves it forward ({@link #advanceTo}), never back, until it reads the wall clock again ({@link #catchUp}).
 * Every part of the engine reads this one clock (decisions, event times, due work), so a year of activity is recorded
 * as having happened over the year.
 */
public final class DemoClock extends Clock {

    private final Clock wall;
    /** Milliseconds this clock is behind the wall clock; only ever shrinks. */
    private final AtomicLong behindMillis;

    public DemoClock(Clock wall, Duration behind) {
        this.wall = wall;
        this.behindMillis = new AtomicLong(behind.toMillis());
    }

    /** Moves the clock forward to {@code at}; an instant it has passed already leaves it where it is. */
    public void advanceTo(Instant at) {
        long wanted = Math.max(0, wall.millis() - at.toEpochMilli());
        behindMillis.accumulateAndGet(wanted, Math::min);
    }

    /** @return the wall clock's instant, however far behind this clock is */
    public Instant wall() {
        return wall.instant();
    }

    /** From now on the clock is the wall clock. */
    public void catchUp() {
        behindMillis.set(0);
    }

    @Override
    public long millis() {
        return wall.millis() - behindMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return wall.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the engine's clock is UTC; business days use the business zone");
    }
}
