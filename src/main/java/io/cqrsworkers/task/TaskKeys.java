package io.cqrsworkers.task;

/**
 * Keys of the tasks table. A task is {@code TASK#<tenant>} (plain) or {@code SFN_TASK#<tenant>} (step-function
 * task), sk {@code <taskType>#<ulid>}; its sub-task i has the same pk and sk {@code <parentSk>#<i>}.
 */
public record TaskKeys(String pk, String sk) {

    public static final String TASK = "TASK";
    public static final String SFN_TASK = "SFN_TASK";

    public static TaskKeys create(boolean stepFunction, String tenantCode, String taskType) {
        return new TaskKeys((stepFunction ? SFN_TASK : TASK) + "#" + tenantCode, taskType + "#" + Ulid.next());
    }

    public boolean isTask() {
        return pk.startsWith(TASK + "#") || isStepFunctionTask();
    }

    public boolean isStepFunctionTask() {
        return pk.startsWith(SFN_TASK + "#");
    }

    /** A sub-task's sk has more than two {@code #} parts (the original's rule). */
    public boolean isSubTask() {
        return sk.split("#", -1).length > 2;
    }

    public TaskKeys subTask(int index) {
        return new TaskKeys(pk, sk + "#" + index);
    }

    public TaskKeys parent() {
        return new TaskKeys(pk, sk.substring(0, sk.lastIndexOf('#')));
    }

    public String id() {
        return pk + "#" + sk;
    }

    public String tenantCode() {
        return pk.substring(pk.indexOf('#') + 1);
    }
}
