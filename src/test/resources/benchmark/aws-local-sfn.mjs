// Runs the benchmark definitions on the npm package aws-local-stepfunctions, printing one JSON line per case.
// Usage: node aws-local-sfn.mjs cases.json warmUpRounds rounds   (cases: [{name, definition, input, executions}])
// Prints the first (cold) round, then the mean and the best of `rounds` after `warmUpRounds` in all, as the Java side
// measures itself.
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
  const warmUp = Number(process.argv[3] ?? 30);
  const rounds = Number(process.argv[4] ?? 20);
  const time = async () => {
    const start = process.hrtime.bigint();
    await runAll();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const first = await time();
  for (let round = 1; round < warmUp; round++) {
    await runAll();
  }
  let total = 0;
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const millis = await time();
    total += millis;
    best = Math.min(best, millis);
  }
  const mean = total / rounds;
  console.log(JSON.stringify({ name: c.name, first, mean, best }));
}
