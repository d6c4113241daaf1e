package io.siyu.wecom.api;

import java.util.Map;

/**
 * The one table of what a WeCom answer means for work the bridge retries — callback translation and the outbox alike.
 * <ul>
 *   <li><b>final</b> — can never succeed for that entry, which is settled with it: 41051 (welcome sent already, or the
 *   chat has started), 40068 (no such tag), 84061 (no relationship any more), 40096 (no such external user), 701008
 *   (no such group).</li>
 *   <li><b>operator</b> — nothing succeeds until someone fixes the configuration: 40001 (wrong secret), 40013 (wrong
 *   corp id), 48001/48002 (the app may not use this API), 60020 (this server's address is not on the app's allow
 *   list), 41004 (secret missing). All work stops (nothing is counted as an attempt), an alert is raised
 *   ({@code siyu_wecom_halted} = the errcode, an error log line) and WeCom is probed every minute until it answers.</li>
 *   <li><b>retry</b> — everything else (limits 45009/45033/41096, busy -1, tokens 40014/42001/41001 that WxJava's one
 *   refresh did not cure, WeCom unreachable, any other errcode): tried again with backoff under the bridge's one
 *   giving-up policy ({@code siyu.wecom.work.*}).</li>
 * </ul>
 */
public final class WeComErrors {

    /** What to do with an entry after an answer. */
    public enum Verdict {
        FINAL, OPERATOR, RETRY
    }

    private static final Map<Integer, String> FINAL = Map.of(
            41051, "already-sent",
            40068, "unknown-tag",
            84061, "no-relationship",
            40096, "unknown-external-user",
            701008, "unknown-group");
    private static final Map<Integer, String> OPERATOR = Map.of(
            40001, "wrong secret",
            40013, "wrong corp id",
            41004, "secret missing",
            48001, "the app may not use this API",
            48002, "the app may not use this API",
            60020, "this server's address is not on the app's allow list");

    private WeComErrors() {
    }

    /** @return what a failure's errcode ({@code null}: WeCom was not reached) means for the entry */
    public static Verdict verdict(Integer errcode) {
        if (errcode == null) {
            return Verdict.RETRY;
        }
        if (FINAL.containsKey(errcode)) {
            return Verdict.FINAL;
        }
        return OPERATOR.containsKey(errcode) ? Verdict.OPERATOR : Verdict.RETRY;
    }

    /** @return the status a final answer settles an entry with ({@code already-sent}, {@code unknown-tag}, …) */
    public static String finalStatus(int errcode) {
        return FINAL.getOrDefault(errcode, "failed");
    }

    /** @return what an operator has to fix for an operator errcode */
    public static String operatorReason(int errcode) {
        return OPERATOR.getOrDefault(errcode, "WeCom refused the app");
    }
}
