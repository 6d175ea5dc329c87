package io.cqrsworkers.localaws.dynamodb.api;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.store.Database;
import io.cqrsworkers.localaws.dynamodb.store.Table;

/** Finds the table a resource ARN (arn:aws:dynamodb:region:account:table/name[/...]) names. */
final class ResourceArns {

    private ResourceArns() {
    }

    static Table table(Database db, String arn) {
        int at = arn == null ? -1 : arn.indexOf(":table/");
        if (at < 0) {
            throw DynamoDbException.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        String rest = arn.substring(at + 7);
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        Table t = db.findTable(name);
        if (t == null) {
            throw DynamoDbException.notFound("Requested resource not found: ResourceArn: " + arn + " not found");
        }
        return t;
    }
}
