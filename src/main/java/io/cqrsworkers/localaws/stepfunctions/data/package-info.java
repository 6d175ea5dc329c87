/**
 * The data layer of the embedded Step Functions engine: everything that reads, builds and tests JSON values.
 *
 * <ul>
 *   <li>{@link io.cqrsworkers.localaws.stepfunctions.data.JsonPaths}: JSONPath reads ({@code $}, {@code $$},
 *       {@code $var}), InputPath/OutputPath ({@code select}), ResultPath ({@code applyResultPath}).</li>
 *   <li>{@link io.cqrsworkers.localaws.stepfunctions.data.PayloadTemplates}: Parameters, ItemSelector,
 *       ResultSelector ({@code .$} keys with paths or intrinsic calls).</li>
 *   <li>{@link io.cqrsworkers.localaws.stepfunctions.data.Intrinsics}: the {@code States.*} functions.</li>
 *   <li>{@link io.cqrsworkers.localaws.stepfunctions.data.Jsonata}: the JSONata query language with
 *       {@code $states}, variables and AWS's extension functions.</li>
 *   <li>{@link io.cqrsworkers.localaws.stepfunctions.data.ChoiceRules}: Choice rules in both languages.</li>
 * </ul>
 *
 * <p>Conventions: JSON values are Jackson trees and are treated as immutable; no method mutates its arguments and
 * results may share subtrees with them, so callers must not mutate them either. Runtime failures are
 * {@link io.cqrsworkers.localaws.stepfunctions.data.StatesError} (error name plus AWS's cause text, without the
 * "An error occurred while executing the state ..." prefix the engine adds). Definition checks
 * ({@code validate...}) throw {@link java.lang.IllegalArgumentException} with a reason the engine places into its
 * InvalidDefinition message. Compiled paths, intrinsic calls and JSONata expressions are cached by their text;
 * every class is thread-safe.
 */
package io.cqrsworkers.localaws.stepfunctions.data;
