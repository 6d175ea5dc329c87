package io.cqrsworkers.localaws.stepfunctions.core;

/** Builds and takes apart the ARNs of this region and account. */
public final class Arns {
    private final String prefix;

    public Arns(String region, String account) {
        this.prefix = "arn:aws:states:" + region + ":" + account + ":";
    }

    public String stateMachine(String name) {
        return prefix + "stateMachine:" + name;
    }

    public String execution(String machineName, String executionName) {
        return prefix + "execution:" + machineName + ":" + executionName;
    }

    public String expressExecution(String machineName, String executionName, String id) {
        return prefix + "express:" + machineName + ":" + executionName + ":" + id;
    }

    public String activity(String name) {
        return prefix + "activity:" + name;
    }

    public String mapRun(String machineName, String label, String id) {
        return prefix + "mapRun:" + machineName + "/" + label + ":" + id;
    }

    /** Checks that {@code arn} is of {@code type} (e.g. "stateMachine"); throws InvalidArn like AWS otherwise. */
    public void require(String arn, String type) {
        if (arn == null || !arn.startsWith("arn:")) {
            throw SfnException.invalidArn("Invalid ARN prefix: " + arn);
        }
        String[] parts = arn.split(":", 7);
        if (parts.length < 7 || !"states".equals(parts[2])) {
            throw SfnException.invalidArn("Invalid ARN: " + arn);
        }
        if (!type.equals(parts[5]) && !("execution".equals(type) && "express".equals(parts[5]))) {
            throw SfnException.invalidArn("Resource type not valid in this context: " + parts[5]);
        }
    }

    /** The name part of a state machine or activity ARN. */
    public static String lastPart(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /** AWS's name rule for machines, executions and activities: 1-80 characters, none of the reserved ones. */
    public static void requireValidName(String name) {
        // the API model limits 'name' to 1-80 characters; AWS checks such constraints before its own rules and
        // answers ValidationException (as recorded for CreateStateMachineAlias in LocalStack's test_sfn_api_aliasing)
        if (name != null && name.length() > 80) {
            throw new SfnException("ValidationException", "1 validation error detected: Value '" + name
                    + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80");
        }
        if (name != null && name.isEmpty()) {
            throw new SfnException("ValidationException", "1 validation error detected: Value '' at 'name' failed to satisfy"
                    + " constraint: Member must have length greater than or equal to 1");
        }
        if (name == null) {
            throw new SfnException("InvalidName", "Invalid Name: '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || c < 0x20 || (c >= 0x7f && c <= 0x9f) || "<>{}[]?*\"#%\\^|~`$&,;:/".indexOf(c) >= 0) {
                throw new SfnException("InvalidName", "Invalid Name: '" + name + "'");
            }
        }
    }
}
