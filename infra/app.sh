#!/usr/bin/env bash
# The CDK app command (cdk.json "app"): runs the Java app on its compiled classes. Compiles first when a source is
# newer than the last build, so `npx cdk synth|deploy|diff` in this folder always runs the current code.
set -euo pipefail
cd "$(dirname "$0")"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
if [ ! -f target/cp.txt ] || [ -n "$(find src pom.xml -newer target/cp.txt -print -quit)" ]; then
  log=$(mktemp)
  if ! mvn -B -q compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt > "$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; exit 1
  fi
  rm -f "$log"
fi
exec java -cp "target/classes:$(cat target/cp.txt)" io.cqrsworkers.infra.InfraApp
