package io.jnetstack.fault;

/** The JMX face of {@link FaultRules}: {@code io.jnetstack:type=Faults,stack=NAME}. */
public interface FaultRulesMBean {
    /** Each rule as written, with how many frames it has acted on. */
    String[] getRules();

    /** Adds the {@code ;}-separated rules, in the syntax of {@link FaultRuleSyntax}. */
    void add(String rules);

    /** Removes the rule written as {@code rule}; true if there was one. */
    boolean remove(String rule);

    /** Removes every rule. */
    void clear();
}
