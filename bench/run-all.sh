#!/usr/bin/env bash
# The whole benchmark suite in one command (10-11 minutes on 2 cores): builds target/ringback.jar,
# then runs dev.ringback.bench.SuiteBenchmark, which writes target/bench-report.md.
# Uses an embedded PostgreSQL, durable as Ringback ships it, unless RINGBACK_DATABASE_URL names one (each part gets a new database on it).
# Parts (default all but history-ab and businesses): startup,webhooks,orders,lateness,dispatch,overload,ceilings,peer,scale,history-ab,businesses.
# businesses (1, 100 and 1,000 businesses of 5 lines, from the configuration file and through the API) takes long: run it alone with
#   BENCH_JAVA_OPTS="-Dbench.parts=businesses" (options: -Dbench.businesses=1,100,1000 -Dbench.businessVariants=config,api -Dbench.heaps=256,384,...)
# Options go to the suite's JVM through BENCH_JAVA_OPTS, e.g.
#   BENCH_JAVA_OPTS="-Dbench.parts=webhooks,ceilings -Dbench.seconds=10 -Dbench.ladder=1000,2000 -Dbench.callbacks=5000"
#   BENCH_JAVA_OPTS="-Dbench.serverJvm=-XX:StartFlightRecording=filename=target/bench/{name}.jfr,settings=profile"
# Needs pgbench (Debian: postgresql-client) for the database ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
rm -rf target/bench && mkdir -p target/bench # files of an earlier run would stand beside this one's
java -Xmx1g -Dlogback.configurationFile=bench/logback-bench.xml ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.ringback.bench.SuiteBenchmark 2>target/bench/suite.log
