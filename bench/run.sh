#!/bin/bash
# Side-by-side benchmark: NioBench (plain java.nio) under the JDK's default provider and under
# jnetstack's, interleaved in the same run; prints medians and jnetstack/JDK ratios.
# Every argument goes to io.jnetstack.bench.SideBySide, e.g.
#   bench/run.sh                         # short sizes, 3 reps (about 1 minute)
#   bench/run.sh --reps 5 --sizes full   # the peers' sizes (bulk 10 s / 1 GiB, rr 20000, cc 10000)
#   bench/run.sh --pin 0 --io blocking   # both ends on CPU 0, blocking client
#   bench/run.sh --columns jdk,jnetstack-mem,gvisor-mem --mem-mtu 1500 --mem-delivery inline
#                                        # the stack alone beside gVisor's (pipe link here)
# BUILD=0 skips the Maven build (bench and, through it, spi with its -all jar).
# The raw lines and the table are kept in bench/target/results/side-by-side-<stamp>.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
if [ "${BUILD:-1}" != 0 ]; then
  mvn -B -q -pl bench -am package -DskipTests
fi

# The gvisor-mem column: the peers' netstackbench (two gVisor stacks in one process), built with
# the peers' own build.sh from a copy under bench/target, so nothing of the peer enters git.
# PEERS overrides where the peers live; by default ../shared/peers beside the main checkout
# (found through git, so a worktree elsewhere finds it too).
build_gvisor_peer() {
  local peers=${PEERS:-}
  if [ -z "$peers" ]; then
    peers="$ROOT/../shared/peers"
    if [ ! -d "$peers" ]; then
      peers="$(dirname "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || echo "$ROOT/.git")")/../shared/peers"
    fi
  fi
  local out="$ROOT/bench/target/gvisor"
  if [ ! -f "$peers/gvisor/main.go" ] || [ ! -f "$peers/gvisor/build.sh" ]; then
    echo "# gvisor-mem: not built: no peers/gvisor/{main.go,build.sh} at $peers (set PEERS=DIR)"
  elif ! command -v go >/dev/null; then
    echo "# gvisor-mem: not built: no go (apt-get install -y golang-go golang-gvisor-gvisor-dev)"
  elif ! dpkg-query -W golang-gvisor-gvisor-dev >/dev/null 2>&1; then
    echo "# gvisor-mem: not built: Debian's golang-gvisor-gvisor-dev is not installed (apt-get install -y golang-gvisor-gvisor-dev)"
  elif [ ! -x "$out/netstackbench" ] || [ "$peers/gvisor/main.go" -nt "$out/netstackbench" ]; then
    mkdir -p "$out"
    cp "$peers/gvisor/main.go" "$peers/gvisor/build.sh" "$out/"
    bash "$out/build.sh" >/dev/null || echo "# gvisor-mem: the peer's build.sh failed (see above)"
  fi
}
if [ "${BUILD:-1}" != 0 ]; then
  build_gvisor_peer
fi
BENCH_JAR=$(ls bench/target/jnetstack-bench-*.jar | grep -v -- '-benchmarks' | head -1)
exec java -cp "$BENCH_JAR" io.jnetstack.bench.SideBySide \
  --out "bench/target/results/side-by-side-$(date +%Y%m%d-%H%M%S).txt" "$@"
