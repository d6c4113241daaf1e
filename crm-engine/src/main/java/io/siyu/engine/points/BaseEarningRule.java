package io.siyu.engine.points;

/**
 * The base earning rule: a fixed number of points for every whole yuan paid (fractions of a yuan earn nothing).
 *
 * @param pointsPerYuan points per whole yuan (100 fen)
 */
public record BaseEarningRule(int pointsPerYuan) {

    public BaseEarningRule {
        if (pointsPerYuan < 0) {
            throw new IllegalArgumentException("points per yuan must not be negative: " + pointsPerYuan);
        }
    }

    public long pointsFor(long amountFen) {
        return Math.multiplyExact(amountFen / 100, (long) pointsPerYuan);
    }

    /** The rule's name as events record it, e.g. {@code base:1pt-per-yuan}. */
    public String name() {
        return "base:" + pointsPerYuan + "pt-per-yuan";
    }
}
