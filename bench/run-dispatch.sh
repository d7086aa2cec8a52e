#!/usr/bin/env bash
# Dispatcher benchmark: N callbacks due at once, CPS limit lifted, a local Twilio stand-in.
# Usage: bench/run-dispatch.sh [callbacks] [twilio worker threads]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.ringback.bench.DispatchBenchmark "${1:-5000}" "${2:-16}" 2>/dev/null | grep '^callbacks='
