#!/bin/bash
# Side-by-side benchmark: NioBench (plain java.nio) under the JDK's default provider and under
# jnetstack's, interleaved in the same run; prints medians and jnetstack/JDK ratios.
# Every argument goes to io.jnetstack.bench.SideBySide, e.g.
#   bench/run.sh                         # short sizes, 3 reps (about 1 minute)
#   bench/run.sh --reps 5 --sizes full   # the peers' sizes (bulk 10 s / 1 GiB, rr 20000, cc 10000)
#   bench/run.sh --pin 0 --io blocking   # both ends on CPU 0, blocking client
# BUILD=0 skips the Maven build (bench and, through it, spi with its -all jar).
# The raw lines and the table are kept in bench/target/results/side-by-side-<stamp>.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ "${BUILD:-1}" != 0 ]; then
  mvn -B -q -pl bench -am package -DskipTests
fi
BENCH_JAR=$(ls bench/target/jnetstack-bench-*.jar | grep -v -- '-benchmarks' | head -1)
exec java -cp "$BENCH_JAR" io.jnetstack.bench.SideBySide \
  --out "bench/target/results/side-by-side-$(date +%Y%m%d-%H%M%S).txt" "$@"
