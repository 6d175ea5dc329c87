package io.cqrsworkers.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cqrsworkers.workflow.ExecutionNames;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ExecutionNamesTest {

    /** Characters Step Functions accepts in a name (a conservative ASCII subset) and its length limit. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,80}");

    @Test
    void plainPartsAreKeptReadable() {
        assertThat(ExecutionNames.of("order-1", "v.2", "3")).isEqualTo("order-1_v.2_3");
    }

    @Test
    void sameInputSameName() {
        assertThat(ExecutionNames.of("TENANT#a", "ITEM#b", "7")).isEqualTo(ExecutionNames.of("TENANT#a", "ITEM#b", "7"));
    }

    @Test
    void keysWithForbiddenCharactersGetASanitisedPrefixAndAHash() {
        String name = ExecutionNames.of("MBC#tenant", "CMD#item 1/x", "12");
        assertThat(name).matches(VALID).startsWith("MBC_tenant_CMD_item_1_x_12-");
    }

    @Test
    void longNamesAreHashedToEightyCharacters() {
        String name = ExecutionNames.of("p".repeat(60), "s".repeat(60), "1");
        assertThat(name).matches(VALID).hasSize(80);
        assertThat(name).isNotEqualTo(ExecutionNames.of("p".repeat(60), "s".repeat(60), "2"));
    }

    @Test
    void namesThatWouldCollideAfterSanitisingOrJoiningDiffer() {
        assertThat(ExecutionNames.of("a#b", "1")).isNotEqualTo(ExecutionNames.of("a/b", "1"));
        assertThat(ExecutionNames.of("a_b", "c")).isNotEqualTo(ExecutionNames.of("a", "b_c"));
        assertThat(ExecutionNames.of("ab", "")).isNotEqualTo(ExecutionNames.of("a", "b"));
    }

    @Test
    void neverEmpty() {
        assertThat(ExecutionNames.of("")).matches(VALID).hasSize(32);
        assertThat(ExecutionNames.of("日本", "語")).matches(VALID);
    }

    @Test
    void rejectsMissingParts() {
        assertThatThrownBy(ExecutionNames::of).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecutionNames.of("pk", null, "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
