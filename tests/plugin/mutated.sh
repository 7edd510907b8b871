#!/bin/sh
# Real trace files, damaged, through tshark with the plugin.  ipft traces
# real traffic between two namespaces, once with the traces as EPB options
# and once with --trace-blocks (tests/tracer/real-traces.sh: drops, partial
# traces, TCP); tests/plugin/mutate-trace makes COPIES damaged copies of
# each (valid pcapng block by block; the ipft records inside mutated:
# lengths, counts, parts, flags, strings, truncated, duplicated, split).
# tshark with the plugin reads each copy as an unprivileged user, with
# every tree item built (-T pdml), under a timeout.  For every copy: tshark
# exits 0 (no crash, no hang), says nothing on stderr, reports no
# "dissector bug", dissects every block the reader sees, and the plugin
# calls malformed (ipft.malformed) exactly the frames the reader
# (tests/pcapng/pcapng-dump -j: each record, and each packet's trace with
# its parts joined) rejects.  A copy that fails is kept in
# $top_builddir/tests/plugin/ as mutated-CARRIER-SEED.pcapng.
#   IPFT_MUTATED_COPIES  copies per carrier (default 30)
set -u
. "$top_srcdir/tests/tracer/common.sh"
. "$top_srcdir/tests/tracer/real-traces.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
need_tracing
MUTATE=$top_builddir/tests/plugin/mutate-trace
[ -x "$MUTATE" ] || die "$MUTATE not built"
[ -x "$DUMP" ] || die "$DUMP not built"
COPIES=${IPFT_MUTATED_COPIES:-30}

mkdir "$T/real"
real_traces "$T/real"

copies=0 crashed=0 hung=0 noisy=0 bugs=0 missing=0 differ=0 frames=0 reader_bad=0 records=0 mutated=0
for carrier in option blocks; do
	for seed in $(seq 1 "$COPIES"); do
		f=$T/$carrier-$seed.pcapng
		said=$("$MUTATE" "$seed" "$T/real/$carrier.pcapng" "$f") ||
			die "mutate-trace $seed $carrier failed"
		set -- $said
		records=$((records + $2)) mutated=$((mutated + $4))
		chmod a+r "$f"
		copies=$((copies + 1))
		bad=0

		# The reader's verdict, frame by frame (EPBs and Custom Blocks,
		# numbered as tshark numbers them); a record without the magic
		# is someone else's, neither valid nor malformed.
		stdbuf -o0 -e0 "$DUMP" -j "$f" >"$T/dump" 2>&1
		awk '/^(EPB|CB) / { f++ }
		     /^pcapng-dump: .*not an ipft record/ { next }
		     /^pcapng-dump:/ { print f }' "$T/dump" | sort -un >"$T/reader"
		n_blocks=$(grep -cE '^(EPB|CB) ' "$T/dump")

		timeout 60 $AS_USER env HOME="$T/home" "$TSHARK" -r "$f" -T pdml >"$T/pdml" 2>"$T/err"
		rc=$?
		if [ $rc -eq 124 ]; then
			hung=$((hung + 1)) bad=1; echo "copy $carrier $seed: tshark hung (60 s)"
		elif [ $rc -ne 0 ]; then
			crashed=$((crashed + 1)) bad=1; echo "copy $carrier $seed: tshark exited $rc"
		fi
		if [ -s "$T/err" ]; then
			noisy=$((noisy + 1)) bad=1; echo "copy $carrier $seed: tshark said:"; head -5 "$T/err"
		fi
		if grep -qi 'dissector bug' "$T/pdml" "$T/err"; then
			bugs=$((bugs + 1)) bad=1; echo "copy $carrier $seed: dissector bug:"
			grep -i -m3 'dissector bug' "$T/pdml" "$T/err"
		fi
		awk '/<field name="num" / { match($0, /show="[0-9]+"/); f = substr($0, RSTART + 6, RLENGTH - 7) }
		     /<field name="ipft.malformed"/ { print f }' "$T/pdml" | sort -un >"$T/plugin"
		n_frames=$(grep -c '<field name="num" ' "$T/pdml")
		if [ "$n_frames" -ne "$n_blocks" ]; then
			missing=$((missing + 1)) bad=1
			echo "copy $carrier $seed: tshark dissected $n_frames frames, the reader sees $n_blocks blocks"
		fi
		if ! cmp -s "$T/reader" "$T/plugin"; then
			differ=$((differ + 1)) bad=1
			echo "copy $carrier $seed: malformed frames, reader: $(tr '\n' ' ' <"$T/reader")," \
				"plugin: $(tr '\n' ' ' <"$T/plugin")"
			grep '^pcapng-dump:' "$T/dump" | head -5
		fi
		frames=$((frames + n_frames)) reader_bad=$((reader_bad + $(wc -l <"$T/reader")))
		[ $bad -eq 0 ] || cp "$f" "$top_builddir/tests/plugin/mutated-$carrier-$seed.pcapng"
	done
done
echo "$copies copies, $records records of which $mutated mutated, $frames frames," \
	"$reader_bad malformed by the reader's verdict"

check "the mutations damage records: the reader rejects at least $copies frames" [ "$reader_bad" -ge "$copies" ]
check "tshark exits 0 on all $copies copies (no crash)" [ "$crashed" -eq 0 ]
check "tshark ends within 60 s on every copy (no hang)" [ "$hung" -eq 0 ]
check "tshark says nothing on stderr" [ "$noisy" -eq 0 ]
check "no dissector bug" [ "$bugs" -eq 0 ]
check "tshark dissects every block the reader sees ($frames frames)" [ "$missing" -eq 0 ]
check "the plugin calls malformed exactly the $reader_bad frames the reader rejects" [ "$differ" -eq 0 ]
finish
