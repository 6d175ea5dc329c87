#!/usr/bin/env bash
# Builds the container image as a tarball with Jib (no Docker daemon, no registry) and checks what ECS would run:
# the entrypoint, the environment, the ports, that the embedded AWS services are left out, and that the image's own
# classpath starts the service far enough to refuse the local profile with its clear message.
# The base image here is `scratch` (no JRE can be pulled on a machine without registry access), so the image's java
# command runs on this machine's JVM, rooted in the unpacked layers.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipEmbeddedAws package jib:buildTar -Djib.from.image=scratch -Dimage=cqrs-workers:image-check
work=target/image/unpacked
rm -rf "$work" && mkdir -p "$work/root"
tar -xf target/image/jib-image.tar -C "$work"
for layer in $(node -e 'for (const l of require(process.argv[1])[0].Layers) console.log(l)' "$PWD/$work/manifest.json"); do
  tar --warning=no-unknown-keyword -xzf "$work/$layer" -C "$work/root"
done

fail() { echo "image-check: $*" >&2; exit 1; }
node - "$PWD/$work/config.json" <<'JS' || fail "image configuration"
const c = require(process.argv[2]).config;
const expect = (ok, what) => { if (!ok) { console.error('image-check: ' + what + ': ' + JSON.stringify(c)); process.exit(1); } };
expect(c.Env.includes('CAMEL_MAIN_PROFILE=aws'), 'CAMEL_MAIN_PROFILE=aws in the environment');
expect(c.Entrypoint[0] === 'java' && c.Entrypoint.at(-1) === 'io.cqrsworkers.Application', 'java entrypoint on io.cqrsworkers.Application');
expect(c.Entrypoint.includes('-XX:MaxRAMPercentage=75'), 'heap sized from the task memory');
expect('8080/tcp' in c.ExposedPorts && '9876/tcp' in c.ExposedPorts, 'business and management ports exposed');
JS
app="$work/root/app"
[ -f "$app/classes/io/cqrsworkers/Application.class" ] || fail "no application classes"
for f in application.properties application-aws.properties infra/resources.yaml; do
  [ -f "$app/resources/$f" ] || fail "no $f in the image"
done
ls "$app/resources/infra/statemachines/"*.asl.json >/dev/null || fail "no state machine definitions in the image"
ls "$app/resources/routes/"*.camel.yaml >/dev/null || fail "no routes in the image"
if find "$app" -path '*io/cqrsworkers/localaws*' | grep -q .; then fail "the embedded AWS services are in the image"; fi
if ls "$app/libs" | grep -E '^(s3proxy|jsonata)-' ; then fail "embedded-only libraries are in the image"; fi

# the image's classpath, rooted here; from a folder without application.properties, as in the container
classpath=$(sed "s#/app/#$PWD/$app/#g" "$app/jib-classpath-file")
out=$(cd "$work" && CAMEL_MAIN_PROFILE=local timeout 60 java -cp "$classpath" io.cqrsworkers.Application 2>&1) && status=0 || status=$?
[ "$status" = 1 ] || { echo "$out" | tail -20; fail "expected exit status 1 for the local profile, got $status"; }
echo "$out" | grep -q "This build carries no embedded AWS services" \
  || { echo "$out" | tail -20; fail "the local profile did not stop with its clear message"; }
echo "image-check: $(du -h target/image/jib-image.tar | cut -f1) image, $(ls "$app/libs" | wc -l) libraries; entrypoint, environment, ports and contents as expected; the local profile is refused"
