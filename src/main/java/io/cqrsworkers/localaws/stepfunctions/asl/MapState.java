package io.cqrsworkers.localaws.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Set;

/** Map: runs its ItemProcessor for every item, inline (in this execution) or distributed (child executions). */
public final class MapState extends State {
    public final StateGraph processor;
    public final boolean distributed;
    public final boolean expressChildren;
    public final String itemsPath;
    public final JsonNode items;
    public final JsonNode itemSelector;
    public final JsonNode maxConcurrency;
    public final String maxConcurrencyPath;
    public final JsonNode itemReader;
    public final JsonNode itemBatcher;
    public final JsonNode resultWriter;
    public final JsonNode toleratedFailurePercentage;
    public final JsonNode toleratedFailureCount;
    public final String toleratedFailurePercentagePath;
    public final String toleratedFailureCountPath;
    public final String label;
    /** The ItemProcessor as written, the definition of a distributed Map's child executions. */
    public final JsonNode processorDefinition;

    MapState(String name, Fields f, QueryLanguage language) {
        super(name, f, language, Set.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch",
                "ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemSelector", "MaxConcurrency", "MaxConcurrencyPath",
                "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
                "ToleratedFailureCount", "ToleratedFailureCountPath", "Label", "Arguments", "Output", "Assign"), true);
        JsonNode proc = f.has("ItemProcessor") ? f.get("ItemProcessor") : f.get("Iterator");
        String procField = f.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        JsonNode config = proc == null ? null : proc.path("ProcessorConfig");
        this.processorDefinition = proc;
        this.distributed = config != null && "DISTRIBUTED".equals(config.path("Mode").asText());
        this.expressChildren = config != null && "EXPRESS".equals(config.path("ExecutionType").asText());
        if (proc == null || !proc.isObject()) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The field 'ItemProcessor' is required but was missing", f.path);
            this.processor = null;
        } else {
            this.processor = new StateGraph(new Fields(proc, f.path + "/" + procField, f.problems), language, Set.of("ProcessorConfig"));
        }
        if (config != null && config.has("Mode") && !Set.of("INLINE", "DISTRIBUTED").contains(config.path("Mode").asText())) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Mode' must be one of [INLINE, DISTRIBUTED]", f.path + "/" + procField + "/ProcessorConfig/Mode");
        }
        if (distributed && !Set.of("STANDARD", "EXPRESS").contains(config.path("ExecutionType").asText())) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'ExecutionType' must be one of [STANDARD, EXPRESS]", f.path + "/" + procField + "/ProcessorConfig/ExecutionType");
        }
        this.itemsPath = f.pathField("ItemsPath");
        this.items = f.get("Items");
        this.itemSelector = f.has("ItemSelector") ? f.get("ItemSelector") : f.get("Parameters");
        f.positiveInt("MaxConcurrency", 0);
        this.maxConcurrency = f.get("MaxConcurrency");
        this.maxConcurrencyPath = f.string("MaxConcurrencyPath", false);
        this.itemReader = f.get("ItemReader");
        this.itemBatcher = f.get("ItemBatcher");
        this.resultWriter = f.get("ResultWriter");
        this.toleratedFailurePercentage = f.get("ToleratedFailurePercentage");
        this.toleratedFailureCount = f.get("ToleratedFailureCount");
        this.toleratedFailurePercentagePath = f.string("ToleratedFailurePercentagePath", false);
        this.toleratedFailureCountPath = f.string("ToleratedFailureCountPath", false);
        this.label = f.string("Label", false);
        if (!distributed) {
            for (String field : new String[]{"ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailureCount",
                    "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "Label"}) {
                if (f.has(field)) {
                    f.problems.add("SCHEMA_VALIDATION_FAILED", "The field '" + field + "' is only supported in DISTRIBUTED mode", f.path + "/" + field);
                }
            }
        }
        if (itemReader != null && !itemReader.path("Resource").asText().startsWith("arn:aws:states:::s3:")) {
            f.problems.add("SCHEMA_VALIDATION_FAILED", "The value for the field 'Resource' must be an S3 integration ARN", f.path + "/ItemReader/Resource");
        }
    }

    @Override
    public boolean producesResult() {
        return true;
    }

    @Override
    public void execute(StateContext run) {
        run.runMap(this);
    }

    @Override
    public void resume(StateContext run) {
        run.resumeMap(this);
    }
}
