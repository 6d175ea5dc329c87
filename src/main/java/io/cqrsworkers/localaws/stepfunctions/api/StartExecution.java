package io.cqrsworkers.localaws.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cqrsworkers.localaws.stepfunctions.core.Arns;
import io.cqrsworkers.localaws.stepfunctions.core.SfnException;
import io.cqrsworkers.localaws.stepfunctions.runtime.Engine;
import io.cqrsworkers.localaws.stepfunctions.runtime.Execution;
import io.cqrsworkers.localaws.stepfunctions.runtime.MockConfig;
import io.cqrsworkers.localaws.stepfunctions.runtime.StateMachine;

import java.util.UUID;

/** StartExecution: standard executions are idempotent on name + input. */
final class StartExecution extends Action {
    StartExecution(Engine engine) {
        super(engine);
    }

    @Override
    JsonNode handle(JsonNode request) {
        Execution e = start(engine, request);
        return object().put("executionArn", e.arn).put("startDate", date(e.startMillis));
    }

    static Execution start(Engine engine, JsonNode request) {
        String target = required(request, "stateMachineArn");
        StateMachine m = machine(engine, target);
        MockConfig.TestCase mock = testCase(engine, m, target);
        String name = optional(request, "name");
        if (name == null) {
            name = UUID.randomUUID().toString();
        }
        Arns.requireValidName(name);
        String input = optional(request, "input");
        String arn = m.express()
                ? engine.arns().expressExecution(m.name(), name, UUID.randomUUID().toString())
                : engine.arns().execution(m.name(), name);
        return engine.startTestCase(m, arn, name, input == null ? "{}" : input, mock);
    }

    /** The machine a start names: its ARN, perhaps with a test case of the mock configuration ({@code arn#case}). */
    static StateMachine machine(Engine engine, String target) {
        int hash = target.indexOf('#');
        return engine.machine(hash < 0 ? target : target.substring(0, hash));
    }

    /**
     * The test case after the '#' of {@code target}, as Step Functions Local selects it; null without one. A test
     * case the mock configuration lacks is refused before the execution starts (Step Functions Local's own answer
     * is not recorded anywhere we found; this one names what is missing).
     */
    private static MockConfig.TestCase testCase(Engine engine, StateMachine m, String target) {
        int hash = target.indexOf('#');
        if (hash < 0) {
            return null;
        }
        String name = target.substring(hash + 1);
        MockConfig config = engine.mockConfig();
        MockConfig.TestCase c = config == null ? null : config.testCase(m.name(), name);
        if (c == null) {
            throw SfnException.validation(config == null
                    ? "No mock configuration is loaded, so the test case '" + name + "' of '" + target + "' cannot be run"
                    : "The mock configuration has no test case '" + name + "' for the state machine '" + m.name() + "'");
        }
        return c;
    }
}
