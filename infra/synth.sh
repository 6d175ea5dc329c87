#!/usr/bin/env bash
# Synthesizes the stack to infra/cdk.out/ (CloudFormation templates), with cdk-nag's AwsSolutions checks, on a machine
# without an AWS account: no credentials, no lookups. Extra arguments go to `cdk synth`, e.g.
#   bash infra/synth.sh -c nodeEnv=prod -c appName=myapp
#   bash infra/synth.sh -c existingVpc=true
set -euo pipefail
cd "$(dirname "$0")"
# one synth at a time per checkout: the service's tests run in two JVMs and two of them may synth at once (npm ci and
# cdk.out are shared)
mkdir -p target
exec 9>target/synth.lock
flock 9
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
[ -x node_modules/.bin/cdk ] || npm ci --no-audit --no-fund
start=$(date +%s)
# no credentials are needed or looked for; a missing region is fine for an environment-agnostic stack
npx --no-install cdk synth --quiet --no-notices --no-version-reporting "$@"
echo "synth finished in $(( $(date +%s) - start )) s"
