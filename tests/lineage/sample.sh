#!/bin/sh
# samples/lineage.pcapng through the plugin (no tracing): a datagram
# translated by a router (its first EPB, frame 1, and a header snapshot
# after the translation, frame 4: a packet of its own flow) and the clone
# a tap made of it (frame 3, an exported PDU); the fields, the links both
# ways, the filter on a packet and its descendants, the statistics (the
# snapshot is no packet of its own there), and Wireshark without the plugin.
set -eu
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/plugin/plugin-lib.sh"
f=$(sample lineage)
id=0x11ea9e0000000001

tsp -2 -r "$f" -T fields -e frame.number -e ipft.packet_id -e ipft.snapshot \
	-e ipft.snapshot.event -e ipft.snapshots -e ipft.frame -e ipft.parent_id -e ipft.lineage \
	-e ipft.parent_frame -e ipft.child_frame -Y ipft >"$T/fields.txt"
cat "$T/fields.txt"
check "frame 1: the packet's first EPB, headers from net_dev_queue, one snapshot (frame 4), a clone (frame 3)" \
	grep -qx "1	$id	0	net_dev_queue	1	4				3" "$T/fields.txt"
check "frame 3: the clone, parent $id, linked to frame 1" \
	grep -qx "3	0x11ea9e0000000002					$id	clone	1	" "$T/fields.txt"
check "frame 4: snapshot 1 of $id, from net_dev_queue, linked to frame 1" \
	grep -qx "4	$id	1	net_dev_queue		1				" "$T/fields.txt"
check "frame 4 holds the translated headers: 10.0.2.1 > 10.0.2.2 port 9, on veth1" \
	[ "$(tsp -r "$f" -Y 'frame.number == 4 && ip.src == 10.0.2.1 && ip.dst == 10.0.2.2 && udp.dstport == 9' -T fields -e frame.interface_name)" = veth1 ]
check "the first EPB's trace flags the event the snapshot was taken at" \
	[ "$(tsp -r "$f" -Y 'frame.number == 1 && ipft.event.snapshot' | wc -l)" -eq 1 ]
check "'ipft.packet_id == $id || ipft.parent_id == $id': frames 1, 3, 4" \
	[ "$(tsp -r "$f" -Y "ipft.packet_id == $id || ipft.parent_id == $id" -T fields -e frame.number | tr '\n' ' ')" = "1 3 4 " ]
check "the clone is an exported PDU the plugin decodes (UDP 40000 > 7000)" \
	[ "$(tsp -r "$f" -Y 'frame.number == 3 && exported_pdu && udp.dstport == 7000' | wc -l)" -eq 1 ]
check "statistics: the two packets pass net_dev_queue, the snapshot is not counted" \
	sh -c "$AS_USER env HOME='$T/home' '$TSHARK' -r '$f' -q -z ipft_funcs,tree 2>/dev/null |
		grep -E '^ *net_dev_queue +1 ' >/dev/null"
check "without the plugin: frame 4 is UDP from 10.0.2.1, frame 3 an exported PDU from 10.0.1.2" \
	sh -c "[ \"\$($AS_USER env HOME='$T/nohome' '$TSHARK' -r '$f' -Y 'udp && ip.src == 10.0.2.1' -T fields -e frame.number 2>/dev/null)\" = 4 ] &&
	       [ \"\$($AS_USER env HOME='$T/nohome' '$TSHARK' -r '$f' -Y 'exported_pdu && ip.src == 10.0.1.2' -T fields -e frame.number 2>/dev/null)\" = 3 ]"
finish
