#!/bin/sh
# The remote interface (ipft-ssh) against a real OpenSSH server that the
# test starts in its own network namespace, with a host key and a client
# key made for this run.  tshark runs as an unprivileged user in the
# other namespace.  Traced over SSH: UDP datagrams sent on the server,
# read back with the plugin, and none of the SSH connection's own packets
# (they are there when asked for: the check can see them); the same
# through sudo as an unprivileged user; the remote ipft ending when
# tshark stops the capture.  Then each way it can fail gives its one
# line: host unreachable, login refused, host key unknown, ipft missing,
# ipft too old, no privileges, sudo asking for a password, the kernel
# refusing (a second sshd whose sessions see no kernel BTF).  Last, the
# path without ipft-extcap that docs/extcap.md shows: Wireshark's own
# sshdump running ipft as its "Other" remote capture command.
set -u
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
. "$top_srcdir/tests/extcap/extcap-lib.sh"
need_root
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF (CONFIG_DEBUG_INFO_BTF)"
[ -x "$IPFT" ] && [ -x "$NETPEER" ] || die "ipft or netpeer not built"
SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || die "sshd is missing: apt-get install openssh-server (tests/setup.sh)"
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || die "the OpenSSH client is missing"
[ -f /etc/sudoers ] && command -v sudo >/dev/null || die "sudo is missing (tests/setup.sh installs it)"
make_pair "ixs$$"
PORT=2222 NOBTF_PORT=2223
S=$T/sshd C=$T/client
mkdir -p "$S" "$C" "$T/rhome" "$T/bin"
mkdir -m 0777 "$T/out"

# ---- keys, accounts, servers ------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C host -f "$S/host_key"
ssh-keygen -q -t ed25519 -N '' -C client -f "$C/id"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$C/stranger"
cp "$C/id.pub" "$S/authorized_keys"
echo "[$IP_B]:$PORT $(cat "$S/host_key.pub")" >"$C/known_hosts"
echo "[$IP_B]:$NOBTF_PORT $(cat "$S/host_key.pub")" >>"$C/known_hosts"
chown -R 65534:65534 "$C"
chmod 0600 "$C/id" "$C/stranger"
# The servers' sessions see a passwd where nobody has a shell: an
# unprivileged account to log in to, without touching the host's.
sed "s|^nobody:\([^:]*:[^:]*:[^:]*:[^:]*\):.*|nobody:\1:$T/rhome:/bin/sh|" /etc/passwd >"$S/passwd"
# ... and a sudoers that lets nobody run one copy of ipft as root.
cp /etc/sudoers "$S/sudoers"
echo "nobody ALL=(root) NOPASSWD: $T/bin/ipft-plain" >>"$S/sudoers"
chmod 0440 "$S/sudoers"
mkdir -p /run/sshd # privilege separation, as Debian's service makes it
# sshd_config PORT: a server on IP_B:PORT knowing only the client key.
sshd_config() {
	cat <<EOF
Port $1
ListenAddress $IP_B
HostKey $S/host_key
AuthorizedKeysFile $S/authorized_keys
PidFile none
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
}
# start_sshd PORT [SETUP]: sshd in namespace B, in its own mount
# namespace where SETUP runs first; returns once it listens.
start_sshd() {
	sshd_config "$1" >"$S/config.$1"
	ip netns exec "$NS_B" unshare -m sh -c "mount --bind '$S/passwd' /etc/passwd && ${2:-true} &&
		exec $SSHD -D -e -f '$S/config.$1'" >"$S/log.$1" 2>&1 &
	add_cleanup "kill $!"
	i=0
	until grep -q 'Server listening' "$S/log.$1"; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$S/log.$1"; die "sshd on port $1 did not start"; }
		sleep 0.1
	done
}
start_sshd $PORT "mount --bind '$S/sudoers' /etc/sudoers"
start_sshd $NOBTF_PORT "mount -t tmpfs none /sys/kernel/btf"

cp "$IPFT" "$T/bin/ipft-plain" # no capabilities
printf '#!/bin/sh\necho "ipft 0.0.9"\n' >"$T/bin/ipft-old"
chmod 0755 "$T/bin/ipft-plain" "$T/bin/ipft-old"

# remote NAME [PREF:VALUE...]: tshark -i ipft-ssh in namespace A, with the
# connection settings of a good login unless a PREF overrides them.
remote() {
	name=$1; shift
	set -- -o "extcap.ipft_ssh.remotehost:$IP_B" -o "extcap.ipft_ssh.remoteport:$PORT" \
		-o extcap.ipft_ssh.remoteuser:root -o "extcap.ipft_ssh.sshkey:$C/id" \
		-o "extcap.ipft_ssh.sshoptions:-o UserKnownHostsFile=$C/known_hosts" \
		-o "extcap.ipft_ssh.remoteipft:$IPFT" \
		-o "extcap.ipft_ssh.logfile:$T/out/$name.log" "$@"
	ip netns exec "$NS_A" $AS_USER env HOME="$T/home" $XENV "$TSHARK" -i ipft-ssh "$@" \
		-w "$T/out/$name.pcapng" >"$T/out/$name.out" 2>"$T/out/$name.err"
}
# traced NAME PREFS...: a 4-second remote capture of namespace B, where 3
# datagrams go to a closed port once ipft traces.
traced() {
	name=$1; shift
	remote "$name" -o extcap.ipft_ssh.duration:4 -o "extcap.ipft_ssh.netns:/run/netns/$NS_B" \
		-a duration:60 "$@" &
	pid=$!
	i=0
	until grep -q 'ipft: tracing' "$T/out/$name.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 150 ] || ! kill -0 $pid 2>/dev/null; then
			cat "$T/out/$name.err" "$T/out/$name.log" 2>/dev/null
			die "the remote capture $name did not start"
		fi
		sleep 0.1
	done
	ip netns exec "$NS_B" "$NETPEER" udp "$IP_A" 9 3
	wait $pid
}

# ---- a remote capture --------------------------------------------------------
traced good
cat "$T/out/good.err"
f=$T/out/good.pcapng
check "tshark: no error" sh -c "! grep -qi error '$T/out/good.err'"
check "the 3 datagrams sent on the server, traced there with their paths" \
	[ "$(tsp -r "$f" -Y 'udp.dstport == 9 && ipft.path contains "net_dev_queue"' | grep -c .)" -eq 3 ]
check "none of the SSH connection's packets" \
	[ "$(tsp -r "$f" -Y "tcp.port == $PORT" | grep -c .)" -eq 0 ]
tsp -r "$f" -Y ipft.block.key >"$T/good.blocks"
check "the statistics block closes the stream" \
	grep -q 'ipft statistics: .*packets_written=' "$T/good.blocks"
conn="not (tcp and host $IP_A and port [0-9]* and host $IP_B and port $PORT)"
check "the file's metadata says the connection was left out" \
	sh -c "$CAPINFOS '$f' | grep -q 'ipft trace: .*$conn'"
check "so does the log" grep -q "left out: $conn" "$T/out/good.log"
check "the counters came back over SSH" grep -q 'ipft: so far [0-9]* packets written' "$T/out/good.log"

traced loop -o extcap.ipft_ssh.tracetransport:true
check "asked to, the SSH connection's packets are traced too" \
	[ "$(tsp -r "$T/out/loop.pcapng" -Y "tcp.port == $PORT" | grep -c .)" -gt 0 ]

traced sudo -o extcap.ipft_ssh.remoteuser:nobody -o "extcap.ipft_ssh.remoteipft:$T/bin/ipft-plain" \
	-o extcap.ipft_ssh.remotepriv:sudo
udp=$(tsp -r "$T/out/sudo.pcapng" -Y 'udp.dstport == 9 && !icmp' | grep -c .)
ssh=$(tsp -r "$T/out/sudo.pcapng" -Y "tcp.port == $PORT" | grep -c .)
check "through sudo -n as nobody: the 3 datagrams ($udp), no SSH packets ($ssh)" \
	[ "$udp" -eq 3 ] && [ "$ssh" -eq 0 ]

# gone PATTERN: no process runs a command line matching PATTERN, within 10 s.
gone() {
	i=0
	while pgrep -f "$1" >/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
for priv in none sudo; do
	user=root; [ $priv = sudo ] && user=nobody
	remote "stop-$priv" -o "extcap.ipft_ssh.remoteuser:$user" -o extcap.ipft_ssh.remotepriv:$priv \
		-o "extcap.ipft_ssh.remoteipft:$T/bin/ipft-plain" -a duration:3
	check "tshark stops a remote capture ($priv): no error, and ipft ends there" sh -c "
		! grep -qi error '$T/out/stop-$priv.err'" && gone "^$T/bin/ipft-plain -v -w -"
done

xc_remote() { ip netns exec "$NS_A" $AS_USER env HOME="$T/home" "$XDIR/ipft-extcap" "$@"; }
xc_remote --extcap-interface ipft-ssh --extcap-config --extcap-reload-option attach-point \
	--remote-host "$IP_B" --remote-port $PORT --remote-user root --ssh-key "$C/id" \
	--ssh-options "-o UserKnownHostsFile=$C/known_hosts" --remote-ipft "$IPFT" >"$T/reload"
check "Reload lists the server's attach points over SSH" \
	[ "$(grep -c '^value .*{value=^kfree_skb\$}' "$T/reload")" -eq 1 ]

# ---- each failure, one line -------------------------------------------------
# fails NAME PATTERN PREFS...: the capture fails with exactly one line
# from the extcap, matching PATTERN.
fails() {
	name=$1 pat=$2; shift 2
	rc=0
	remote "$name" -a duration:30 "$@" || rc=$?
	grep 'Error by extcap pipe' "$T/out/$name.err"
	check "$name: tshark fails (rc $rc) with one line: $pat" sh -c "[ $rc -ne 0 ] &&
		[ \$(grep -c 'Error by extcap pipe' '$T/out/$name.err') -eq 1 ] &&
		grep -q 'Error by extcap pipe: $pat' '$T/out/$name.err'"
}
fails unreachable "cannot reach $IP_B port 2299: ssh: connect to host $IP_B port 2299: Connection refused" \
	-o extcap.ipft_ssh.remoteport:2299
fails login "cannot log in to $IP_B as root (.*Permission denied (publickey).*): ipft-extcap logs in with keys or an ssh agent only" \
	-o "extcap.ipft_ssh.sshkey:$C/stranger"
fails hostkey "the host key of $IP_B is unknown or has changed" \
	-o "extcap.ipft_ssh.sshoptions:-o UserKnownHostsFile=/dev/null"
fails missing "ipft is not installed on $IP_B: found no $T/bin/none" \
	-o "extcap.ipft_ssh.remoteipft:$T/bin/none"
fails old "ipft 0.0.9 on $IP_B ($T/bin/ipft-old) is too old: ipft-extcap needs [0-9.]* or newer" \
	-o "extcap.ipft_ssh.remoteipft:$T/bin/ipft-old"
fails unprivileged "ipft on $IP_B may not trace: it needs root, or CAP_BPF and CAP_PERFMON" \
	-o extcap.ipft_ssh.remoteuser:nobody -o "extcap.ipft_ssh.remoteipft:$T/bin/ipft-plain"
fails password "sudo on $IP_B asks for a password: allow ipft there without one" \
	-o extcap.ipft_ssh.remoteuser:nobody -o extcap.ipft_ssh.remotepriv:sudo
fails kernel "ipft on $IP_B: this kernel has no BTF" -o "extcap.ipft_ssh.remoteport:$NOBTF_PORT"
# ---- without ipft-extcap: sshdump --------------------------------------------
sshdump=$(pkg-config --variable=libdir wireshark)/wireshark/extcap/sshdump
[ -x "$sshdump" ] || die "$sshdump is missing (Wireshark's extcaps: wireshark-common)"
[ -z "$XENV" ] || ln -sf "$sshdump" "$XDIR/sshdump"
ip netns exec "$NS_A" $AS_USER env HOME="$T/home" $XENV "$TSHARK" -i sshdump \
	-o "extcap.sshdump.remotehost:$IP_B" -o "extcap.sshdump.remoteport:$PORT" \
	-o extcap.sshdump.remoteusername:root -o "extcap.sshdump.sshkey:$C/id" \
	-o extcap.sshdump.remotecapturecommandselect:other \
	-o "extcap.sshdump.remotecapturecommand:$IPFT -v -w - --duration 4 --netns /run/netns/$NS_B 'not (tcp port $PORT and host $IP_A)' 2>$T/out/sshdump-ipft.err" \
	-a duration:30 -w "$T/out/sshdump.pcapng" >"$T/out/sshdump.out" 2>&1 &
pid=$!
# The datagrams go once the remote ipft traces (its stderr, kept on the
# server, says so): a fixed wait lost some on a loaded machine.
wait_lines 1 20 "$T/out/sshdump-ipft.err" 'tracing; Ctrl-C' ||
	{ cat "$T/out/sshdump.out" "$T/out/sshdump-ipft.err"; die "sshdump's ipft did not start"; }
ip netns exec "$NS_B" "$NETPEER" udp "$IP_A" 9 3
wait $pid
n=$(tsp -r "$T/out/sshdump.pcapng" -Y 'udp.dstport == 9 && !icmp && ipft.path' | grep -c .)
check "sshdump with ipft as its remote capture command: the 3 datagrams with their paths ($n)" \
	[ "$n" -eq 3 ]
finish
