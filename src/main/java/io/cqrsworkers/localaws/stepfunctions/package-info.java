/**
 * The embedded AWS Step Functions: an Amazon States Language engine behind the AWSStepFunctions JSON 1.0 API.
 * The packages depend downwards only (a test keeps them free of circles):
 * <ul>
 *   <li>{@code api}: one class per API action, with AWS's error types and messages, and their table
 *       ({@code Operations}) for the shared AWS JSON server ({@code localaws.http});</li>
 *   <li>{@code asl}: the definition model and its validation, one class per state type; each state describes its
 *       behaviour against {@code asl.StateContext}, which the runtime implements;</li>
 *   <li>{@code runtime}: the interpreter: executions, flows, the worker pool, timers, task tokens, activities,
 *       retry/catch, Parallel and Map (inline and distributed), recovery after a restart;</li>
 *   <li>{@code integrations}: SQS and DynamoDB (AWS JSON), S3 (item reader, result writer, get/put), each settling
 *       an {@code integrations.Attempt}; nested executions ({@code states:startExecution}) are the runtime's own;</li>
 *   <li>{@code store}: persistence of machines and executions (the history is the log);</li>
 *   <li>{@code data}: paths, payload templates, intrinsic functions, JSONata and Choice rules;</li>
 *   <li>{@code core}: what every layer shares: the one JSON mapper ({@code Json}), the API error
 *       ({@code SfnException}) and ARNs.</li>
 * </ul>
 * Start it with {@link io.cqrsworkers.localaws.stepfunctions.StepFunctionsEmulator#builder()}.
 */
package io.cqrsworkers.localaws.stepfunctions;
