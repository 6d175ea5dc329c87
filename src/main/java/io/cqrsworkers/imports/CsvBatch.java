package io.cqrsworkers.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** One batch in the Distributed Map's JSON shape, plus the rows the reader rejected while filling it. */
public record CsvBatch(ObjectNode json, List<RowError> rejected) {
}
