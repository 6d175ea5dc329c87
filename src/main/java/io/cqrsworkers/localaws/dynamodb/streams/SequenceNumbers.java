package io.cqrsworkers.localaws.dynamodb.streams;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;

import java.math.BigInteger;

/** Sequence numbers as AWS shows them: numeric strings of 21 digits, here 1 followed by a 20-digit counter. */
public final class SequenceNumbers {

    private static final BigInteger OFFSET = BigInteger.TEN.pow(20);

    private SequenceNumbers() {
    }

    public static String format(long counter) {
        return OFFSET.add(BigInteger.valueOf(counter)).toString();
    }

    public static long parse(String text) {
        try {
            BigInteger n = new BigInteger(text);
            BigInteger counter = n.subtract(OFFSET);
            if (counter.signum() < 0 || counter.bitLength() > 62) {
                throw new NumberFormatException();
            }
            return counter.longValue();
        } catch (NumberFormatException | NullPointerException e) {
            throw DynamoDbException.validation("Invalid SequenceNumber: " + text);
        }
    }
}
