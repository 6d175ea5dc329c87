package io.cqrsworkers.imports;

/** A strategy's verdict on a row against the stored data: publish it, update it partially, or skip it. */
public enum Comparison {
    NOT_EXIST, CHANGED, EQUAL
}
