package io.jnetstack.fault;

import java.util.List;
import java.util.Objects;

/**
 * One fault rule: which packets ({@link PacketMatch}) and what happens to them ({@link FaultAction}).
 * Written as text in the syntax {@link FaultRuleSyntax} reads, e.g. {@code tcp:port=8080:loss=5%:seed=7}.
 *
 * @param text the rule as written, which also names it in listings, JMX and JFR
 */
public record FaultRule(String text, PacketMatch match, FaultAction action) {
    public FaultRule {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(action, "action");
    }

    /**
     * Parses one rule.
     *
     * @throws IllegalArgumentException naming the rule, what is wrong and the accepted form
     */
    public static FaultRule parse(String text) {
        return FaultRuleSyntax.parseRule(text);
    }

    /** Parses rules separated by {@code ;} (empty parts are skipped). */
    public static List<FaultRule> parseAll(String text) {
        return FaultRuleSyntax.parseRules(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
