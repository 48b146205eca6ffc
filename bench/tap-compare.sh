#!/bin/bash
# Issue 11's comparison in one run: jnetstack on a TAP device (bench/tap.sh) with offload on and
# off, as client and as server, beside gVisor's netstack on a TAP device and the kernel over a veth
# pair (the peers' gvisor/tap.sh and kernel/veth.sh), interleaved round-robin REPS times at MTU
# 1500; prints medians per configuration and the issue's ratios. Needs root.
# Usage: [REPS=3] [PEERS=dir] [ONLY=regex] bench/tap-compare.sh [options for every client]
#   PEERS: the peers' directory (default ../shared/peers beside the checkout); gVisor on TAP is
#   skipped, with the reason printed, when its binary cannot be built (no go / gVisor sources).
# Raw lines (one per run, tagged cfg= and rep=) go to bench/target/results/tap-compare-<stamp>.txt.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers}
REPS=${REPS:-3}
ONLY=${ONLY:-.}
mkdir -p "$HERE/target/results"
OUT="$HERE/target/results/tap-compare-$(date +%Y%m%d-%H%M%S).txt"
LOG="${OUT%.txt}.log"
configs=(
  "jnetstack-tap/client/offload-auto|env ROLE=client OFFLOAD=auto $HERE/tap.sh"
  "jnetstack-tap/client/offload-off|env ROLE=client OFFLOAD=off $HERE/tap.sh"
  "jnetstack-tap/server/offload-auto|env ROLE=server OFFLOAD=auto $HERE/tap.sh"
  "jnetstack-tap/server/offload-off|env ROLE=server OFFLOAD=off $HERE/tap.sh"
  "kernel-veth/1500|$PEERS/kernel/veth.sh 1500"
)
if [ -x "$PEERS/gvisor/netstackbench" ] || "$PEERS/gvisor/build.sh" >>"$LOG" 2>&1; then
  configs+=("gvisor-tap/client/1500|$PEERS/gvisor/tap.sh 1500"
            "gvisor-tap/server/1500|env ROLE=server $PEERS/gvisor/tap.sh 1500")
else
  echo "gVisor on TAP skipped: $PEERS/gvisor/build.sh failed (needs go and golang-gvisor-gvisor-dev; see $LOG)" | tee -a "$OUT"
fi
echo "# $(date -Is) $(uname -r) nproc=$(nproc) loadavg=$(cut -d' ' -f1-3 /proc/loadavg) args: $*" >> "$OUT"
for rep in $(seq "$REPS"); do
  for entry in "${configs[@]}"; do
    cfg=${entry%%|*}; cmd=${entry#*|}
    [[ "$cfg" =~ $ONLY ]] || continue
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086 # cmd is a command line on purpose
    $cmd "$@" 2>>"$LOG" | tee -a "$LOG" | grep -E '^[a-z][a-z0-9-]* .*=' \
      | sed "s|\$| cfg=$cfg rep=$rep loadavg=$load|" | tee -a "$OUT"
  done
done
python3 - "$OUT" <<'PY'
import statistics, sys
from collections import defaultdict
vals = defaultdict(list)
for line in open(sys.argv[1]):
    if line.startswith("#") or " cfg=" not in line:
        continue
    kv = dict(t.split("=", 1) for t in line.split()[1:] if "=" in t)
    for m in ("bulk_gbps", "rr_p50_us", "cc_per_s"):
        if m in kv:
            vals[(kv["cfg"], m)].append(float(kv[m]))
med = {k: statistics.median(v) for k, v in vals.items()}
print(f"{'configuration':36} {'metric':10} {'median':>9} {'min':>9} {'max':>9} n")
for (cfg, m), v in sorted(vals.items()):
    print(f"{cfg:36} {m:10} {med[(cfg, m)]:9.2f} {min(v):9.2f} {max(v):9.2f} {len(v)}")
def ratio(a, b, m):
    return f"{med[(a, m)] / med[(b, m)]:.2f}" if (a, m) in med and (b, m) in med else "n/a"
print("\nratios of medians (issue 11 goals):")
for role in ("client", "server"):
    j = f"jnetstack-tap/{role}"
    print(f"  {role}: bulk offload off / gVisor TAP = {ratio(j + '/offload-off', f'gvisor-tap/{role}/1500', 'bulk_gbps')} (goal >= 2);"
          f" bulk offload on / kernel veth = {ratio(j + '/offload-auto', 'kernel-veth/1500', 'bulk_gbps')} (goal >= 0.5);"
          f" RR p50 offload on / gVisor TAP = {ratio(j + '/offload-auto', f'gvisor-tap/{role}/1500', 'rr_p50_us')} (goal <= 1),"
          f" / kernel veth = {ratio(j + '/offload-auto', 'kernel-veth/1500', 'rr_p50_us')} (goal <= 1.5);"
          f" conns/s offload on / gVisor TAP = {ratio(j + '/offload-auto', f'gvisor-tap/{role}/1500', 'cc_per_s')} (goal >= 1)")
PY
echo "raw lines: $OUT"
