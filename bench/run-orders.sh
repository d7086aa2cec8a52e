#!/usr/bin/env bash
# Order webhook benchmark: orders/s at a steady 50/s to the Calls.json request, then a rate
# ladder for the webhook alone (BENCH_JAVA_OPTS=-Dbench.cps=1 keeps the dialler nearly idle meanwhile).
# Usage: bench/run-orders.sh [steady seconds] [ladder rates, comma-separated]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.ringback.bench.OrderBenchmark "${1:-20}" "${2:-250,500,1000,1500,2000}" 2>/dev/null | grep -E '^(steady|ladder) '
