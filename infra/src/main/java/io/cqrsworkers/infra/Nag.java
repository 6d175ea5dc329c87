package io.cqrsworkers.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.constructs.IConstruct;

import java.util.Arrays;
import java.util.List;

/**
 * cdk-nag AwsSolutions findings that are accepted. Each suppression names the rule, the exact finding where the rule
 * reports several (appliesTo), and why; the checks run in every synth and every test (an unsuppressed finding fails
 * both).
 */
final class Nag {

    private Nag() {
    }

    /** Suppresses {@code rule} on the construct and its children; {@code appliesTo}: the findings, or all if none. */
    static void suppress(IConstruct construct, String rule, String reason, Object... appliesTo) {
        NagPackSuppression.Builder s = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            s.appliesTo(Arrays.asList(appliesTo));
        }
        NagSuppressions.addResourceSuppressions(construct, List.of(s.build()), true);
    }

    /** Like {@link #suppress}, for findings matched by a regular expression ("/.../"). */
    static void suppressRegex(IConstruct construct, String rule, String reason, String regex) {
        suppress(construct, rule, reason, RegexAppliesTo.builder().regex(regex).build());
    }
}
