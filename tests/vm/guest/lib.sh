# Sourced by the guest test scripts (busybox sh inside the VM).
# Gives: result NAME PASS|FAIL|SKIP DETAIL, a veth pair into a child network
# namespace (root side v0 10.199.0.1, child side v1 10.199.0.2; busybox has
# no "ip netns": the namespace is held by a sleeping process, entered with
# nsenter), and in_peer CMD to run CMD in it.
export PATH=/bin
OUTDIR=/mnt/host
grep -q " $OUTDIR 9p " /proc/mounts || OUTDIR=/tmp

result() {
	name=$1 status=$2
	shift 2
	echo "RESULT test=$name status=$status $*"
}

ms() { # milliseconds since boot
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

make_pair() {
	ip link add name v0 type veth || return 1
	ip link set veth0 name v1  # busybox ip cannot name the peer
	unshare -n sleep 100000 </dev/null >/dev/null 2>&1 &
	PEER_PID=$!
	sleep 0.2
	ip link set v1 netns $PEER_PID || return 1
	ip addr add 10.199.0.1/24 dev v0
	ip link set v0 up
	in_peer ip addr add 10.199.0.2/24 dev v1
	in_peer ip link set v1 up
	in_peer ip link set lo up
	PEER_NETNS=/proc/$PEER_PID/ns/net
	ping -c 1 -W 2 10.199.0.2 >/dev/null
}

in_peer() {
	nsenter -t $PEER_PID -n "$@"
}

# start_ipft FILE ARGS...: ipft in the background writing FILE; waits until
# it says it is tracing, up to 300 s (attaching took 67 s on a loaded host;
# its stderr goes to FILE.err).
start_ipft() {
	f=$1
	shift
	ipft "$@" 2>"$f.err" &
	IPFT_PID=$!
	i=0
	while ! grep -qi 'tracing\|attached' "$f.err" 2>/dev/null && [ $i -lt 3000 ]; do
		kill -0 $IPFT_PID 2>/dev/null || break
		i=$((i + 1))
		sleep 0.1
	done
}

# stop_ipft: SIGINT, then up to 300 s for ipft to detach and exit; a
# hang is shown (where each thread waits) and ends the step, not the run.
stop_ipft() {
	kill -INT $IPFT_PID 2>/dev/null
	i=0
	while kill -0 $IPFT_PID 2>/dev/null && [ $i -lt 3000 ]; do i=$((i + 1)); sleep 0.1; done
	if kill -0 $IPFT_PID 2>/dev/null; then
		echo "INFO ipft did not stop within 300 s; its threads wait in:"
		cat /proc/$IPFT_PID/task/*/stack 2>/dev/null | sort | uniq -c | sort -rn | head -20
		kill -KILL $IPFT_PID
		sleep 5
		if kill -0 $IPFT_PID 2>/dev/null; then
			IPFT_RC=124
			return
		fi
	fi
	wait $IPFT_PID
	IPFT_RC=$?
}

# kernel_older MAJOR MINOR: whether this kernel is older than MAJOR.MINOR.
kernel_older() {
	v=$(uname -r)
	maj=${v%%.*} rest=${v#*.}
	min=${rest%%[!0-9]*}
	[ "$maj" -lt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -lt "$2" ]; }
}
