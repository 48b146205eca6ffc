#!/bin/bash
# jnetstack (NioBench through the NIO provider, TapLink) on a TAP device in netns $NS; the kernel
# side of the TAP (198.18.0.1) runs NioBench on the JDK's provider in the same netns.
#   ROLE=client: jnetstack client -> kernel server;  ROLE=server: kernel client -> jnetstack server
#   OFFLOAD=auto|off: the TAP's checksum and segmentation offloads (jnetstack.offload, default auto)
#   QUEUES=N: the TAP's queues (jnetstack.tapQueues, default 1; the device is made multi_queue if N > 1)
# Usage: [ROLE=client|server] [OFFLOAD=auto|off] [QUEUES=N] [JARS=dir] bench/tap.sh [NioBench options];
# needs root. Every process is time-bounded; the netns (and with it the TAP) is deleted on exit.
# The label says role and offload, e.g. jnetstack-tap-client-offload-auto.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
JARS=${JARS:-$HERE/target}  # a dir holding the bench jar and the spi -all jar
ROLE=${ROLE:-client}
OFFLOAD=${OFFLOAD:-auto}
QUEUES=${QUEUES:-1}
JAVA=${JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
NS=jnb-tap; TAP=tapjnb0; SPID=
BENCH=$JARS/jnetstack-bench-0.1.0-SNAPSHOT.jar
ALL=$JARS/jnetstack-spi-0.1.0-SNAPSHOT-all.jar
[ -f "$ALL" ] || ALL=$HERE/../spi/target/jnetstack-spi-0.1.0-SNAPSHOT-all.jar
JNS=(-cp "$BENCH:$ALL" -Djava.nio.channels.spi.SelectorProvider=io.jnetstack.spi.JnetstackSelectorProvider
     -Djnetstack.tap=$TAP -Djnetstack.ipv4=198.18.0.2/24 -Djnetstack.mtu=1500
     -Djnetstack.offload="$OFFLOAD" -Djnetstack.tapQueues="$QUEUES" io.jnetstack.bench.NioBench)
SUFFIX=-offload-$OFFLOAD; [ "$QUEUES" = 1 ] || SUFFIX=$SUFFIX-q$QUEUES
KRN=(-cp "$BENCH" io.jnetstack.bench.NioBench)
cleanup() {
  if [ -n "$SPID" ]; then kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; fi
  ip netns del $NS 2>/dev/null || true
}
if ip netns list | grep -qw "$NS"; then echo "netns $NS already exists; remove it first" >&2; exit 1; fi
trap cleanup EXIT
ip netns add $NS
ip netns exec $NS sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n $NS link set lo up
MULTI=; [ "$QUEUES" = 1 ] || MULTI=multi_queue
ip netns exec $NS ip tuntap add dev $TAP mode tap $MULTI
ip -n $NS link set $TAP mtu 1500 up
ip -n $NS addr add 198.18.0.1/24 dev $TAP
if [ "$ROLE" = client ]; then
  ip netns exec $NS timeout 200 "$JAVA" "${KRN[@]}" server --bind 198.18.0.1 --serve-seconds 180 --max-seconds 190 &
  SPID=$!
  for _ in $(seq 100); do ip netns exec $NS ss -ltn | grep -q '198.18.0.1:5201' && break; sleep 0.1; done
  ip netns exec $NS timeout 180 "$JAVA" "${JNS[@]}" client --host 198.18.0.1 --label "jnetstack-tap-client$SUFFIX" --max-seconds 170 "$@"
else
  SERVER_LOG=$(mktemp)
  ip netns exec $NS timeout 200 "$JAVA" "${JNS[@]}" server --bind 198.18.0.2 --serve-seconds 180 --max-seconds 190 \
      > "$SERVER_LOG" 2>&1 &
  SPID=$!
  # wait (bounded) for jnetstack's server to say it listens
  for _ in $(seq 300); do grep -q 'serving on' "$SERVER_LOG" && break; sleep 0.1; done
  cat "$SERVER_LOG"; rm -f "$SERVER_LOG"
  ip netns exec $NS timeout 180 "$JAVA" "${KRN[@]}" client --host 198.18.0.2 --label "jnetstack-tap-server$SUFFIX" --max-seconds 170 "$@"
fi
