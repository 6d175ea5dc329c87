// Runs the benchmark definitions on the npm package aws-local-stepfunctions, printing one JSON line per case.
// Usage: node aws-local-sfn.mjs cases.json   (cases: [{name, definition, input, executions}])
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const c of cases) {
  const machine = new StateMachine(c.definition);
  const runAll = async () => {
    const runs = [];
    for (let i = 0; i < c.executions; i++) {
      runs.push(machine.run(c.input).result);
    }
    await Promise.all(runs);
  };
  await runAll(); // warm-up, then the best of three, like the Java side
  let millis = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    await runAll();
    millis = Math.min(millis, Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(JSON.stringify({ name: c.name, millis }));
}
