package io.siyu.projections.segment;

import java.util.List;

/** A segment definition that cannot be evaluated; every problem names the JSON path it is at. */
public class InvalidSegmentException extends RuntimeException {

    /** @param field the path, e.g. {@code criteria.and[1].pointsBalance.min}; @param reason what is wrong */
    public record Problem(String field, String reason) {
    }

    private final transient List<Problem> problems;

    public InvalidSegmentException(List<Problem> problems) {
        super(problems.size() + " problem(s) in the segment definition: " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
