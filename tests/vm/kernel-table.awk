# kernel-table.awk: the Markdown tables of tests/vm/kernel-table.sh, from
# the report files of tests/vm/run.sh given in order (-v suites="A B ...":
# the columns, oldest kernel first).

# The suite a report file is of, and whether it is the filter suite's.
function suite_of(f) { sub(/.*report-/, "", f); sub(/\.txt$/, "", f); return f }

# The row a smoke test is counted in.
function row_of(name) {
	if (name ~ /^(udp-drop|host-udp|clone-records)-tracepoint$/ || name == "host-pcapng-dump")
		return "tracepoint"
	# before the backends: its names end in the backend they ran with
	if (name ~ /^(host-)?lineage-/) return "lineage"
	if (name ~ /-kprobe-multi$/) return "kprobe-multi"
	if (name ~ /-kprobe$/) return "kprobe"
	if (name ~ /-fentry$/ || name == "host-graph-udp" || name == "graph-json") return "fentry"
	if (name == "no-btf") return "no-btf"
	return "other"
}

# A SKIP (a documented kernel-capability skip) is neither.
function tally(s, row, name, st) {
	if (st == "SKIP") { skips[s, row] = skips[s, row] ", " name; total_skip[s]++; return }
	if (st == "PASS") pass[s, row]++
	else { fails[s, row]++; failed[s, row] = failed[s, row] " " name }
	if (st == "PASS") total_pass[s]++; else total_fail[s]++
}

# A cell from a row's tally.
function counted(s, row,    skipped) {
	skipped = skips[s, row] == "" ? "" : "; skipped: " substr(skips[s, row], 3)
	if (fails[s, row]) return "**FAIL** (" fails[s, row] " of " fails[s, row] + pass[s, row] ":" failed[s, row] ")" skipped
	if (pass[s, row]) return "pass (" pass[s, row] ")" skipped
	return skipped == "" ? "not run" : substr(skipped, 3)
}

function secs(ms) { return sprintf("%.1f s", ms / 1000) }

# A feature ipft -v names as missing (INFO lacks), as a cell.
function lacks_cell(s, what) {
	if (!(s in lacks)) return "?"
	return index(lacks[s], ";" what ";") ? "no" : "yes"
}

function backend_cell(s, b, row) {
	if (state[s, b] ~ /^refused/) return state[s, b]
	if (state[s, b] == "FAIL") return "**FAIL**: not usable"
	return counted(s, row)
}

# Guest lines come through a serial console: CR LF.
{ sub(/^ +/, ""); sub(/\r$/, "") }

FNR == 1 { s = suite_of(FILENAME); filter = FILENAME ~ /\/filter\/report-[^\/]*$/ }

/^== / {
	k = $0; sub(/^== [^:]*: kernel /, "", k); sub(/;.*/, "", k); kver[s] = k
	ms = $0; sub(/.* VM /, "", ms); sub(/ ms.*/, "", ms)
	if (filter) vm_filter[s] += ms; else vm_smoke[s] += ms
	next
}
/^INFO config: / && !filter { c = $0; sub(/^INFO config: /, "", c); config[s] = " " c " "; next }
/^INFO lacks:/ && !filter { l = $0; sub(/^INFO lacks: */, "", l); lacks[s] = ";" l; next }
/^INFO (drop_reasons|module_btf|cpu_ibt)=/ && !filter { split(substr($0, 6), kv, "="); info[s, kv[1]] = kv[2] + 0; next }
/^FAIL / { tally(s, filter ? "filter" : "other", "guest-exit", "FAIL"); next }
/^RESULT / {
	name = $2; sub(/^test=/, "", name)
	if (index(name, s "-") == 1) name = substr(name, length(s) + 2)
	st = $3; sub(/^status=/, "", st)
	detail = $0; sub(/^RESULT [^ ]* [^ ]* ?/, "", detail); gsub(/\|/, "\\|", detail)
	if (filter) { tally(s, "filter", name, st); next }
	if (name ~ /^backend-/) {
		b = substr(name, 9)
		if (st != "PASS") state[s, b] = "FAIL"
		else if (detail ~ /^refused/) {
			why = detail
			if (why ~ /5\.18/) why = "needs Linux 5.18"
			else if (why ~ /CONFIG_FPROBE/) why = "no CONFIG_FPROBE"
			state[s, b] = "refused: " why
		} else state[s, b] = "works"
	}
	if (name ~ /^udp-drop-/ && detail ~ /start_ms=/) {
		t = detail; sub(/.*start_ms=/, "", t); sub(/ .*/, "", t)
		start[s] = start[s] (start[s] == "" ? "" : ", ") substr(name, 10) " " secs(t)
	}
	if (name ~ /^attach-all-/ && st != "PASS") attach_all[s] = "**FAIL** (" substr(name, 12) ")"
	if (name ~ /^attach-all-/ && st == "PASS") {
		n = detail; sub(/^"attached to /, "", n); sub(/".*/, "", n)
		a = detail; sub(/.*attach_ms=/, "", a); sub(/ .*/, "", a)
		d = detail; sub(/.*detach_ms=/, "", d); sub(/ .*/, "", d)
		re = detail; sub(/.*regex=/, "", re)
		attach_all[s] = substr(name, 12) ": " n (re == "." ? "" : " (`" re "`)") ", " secs(a) " / " secs(d)
	}
	if (name == "host-auto") { p = detail; sub(/^picked /, "", p); auto[s] = st == "PASS" ? p : "**FAIL** " p }
	if (name == "host-graph-udp") graph[s] = st
	if (name ~ /^host-func-addr-/) {
		b = substr(name, 16)
		if (st == "PASS") addr_ok[s] = addr_ok[s] (addr_ok[s] == "" ? "" : ", ") b
		else addr_bad[s] = addr_bad[s] " " b
	}
	if (name ~ /^host-tcp-/ && st == "PASS" && detail ~ /veth_xmit/) veth[s] = 1
	tally(s, row_of(name), name, st)
}

function header(title, last,    i) {
	printf "| %s |", title
	for (i = 1; i <= ns; i++) printf " %s (%s) |", kver[col[i]], col[i]
	if (last != "") printf " %s |", last
	printf "\n|---|"
	for (i = 1; i <= ns; i++) printf "---|"
	if (last != "") printf "---|"
	printf "\n"
}

# A row: its title, then one cell per kernel from cell(kind, suite), then
# the last column if any.
function row(title, kind, last,    i) {
	printf "| %s |", title
	for (i = 1; i <= ns; i++) printf " %s |", cell(kind, col[i])
	if (last != "") printf " %s |", last
	printf "\n"
}

function cell(kind, s,    part) {
	if (kind == "drop_reasons") return !((s, kind) in info) ? "?" : info[s, kind] ? "yes" : "no"
	if (kind == "module_btf") return !((s, kind) in info) ? "?" : !info[s, kind] ? "no" : veth[s] ? "yes (`veth_xmit` traced)" : "yes"
	if (kind == "ibt") {
		if (!(s in config)) return "?"
		if (!index(config[s], " X86_KERNEL_IBT=y ")) return "no"
		return "built with" (((s, "cpu_ibt") in info) ? (info[s, "cpu_ibt"] ? ", enforced" : "; the guest's CPU does not enforce it") : "")
	}
	if (kind == "kprobe-multi-has") return state[s, "kprobe-multi"] == "works" ? "yes" : state[s, "kprobe-multi"] == "" ? "?" : "no (" substr(state[s, "kprobe-multi"], 10) ")"
	if (kind ~ /^lacks:/) return lacks_cell(s, substr(kind, 7))
	if (kind ~ /^backend:/) { split(kind, part, ":"); return backend_cell(s, part[2], part[3]) }
	if (kind == "graph") {
		if (graph[s] == "") return "not run"
		if (graph[s] != "PASS") return "**FAIL**"
		return index(lacks[s], ";bpf_get_func_ret;") ? "right (the slot after the arguments)" : "right (`bpf_get_func_ret`)"
	}
	if (kind == "addr") return addr_bad[s] != "" ? "**FAIL**:" addr_bad[s] : addr_ok[s] == "" ? "not run" : "equal (" addr_ok[s] ")"
	if (kind == "auto") return auto[s] == "" ? "?" : auto[s]
	if (kind == "start") return start[s] == "" ? "?" : start[s]
	if (kind == "attach_all") return attach_all[s] == "" ? "not run" : attach_all[s]
	if (kind == "filter") return counted(s, "filter")
	if (kind == "no-btf") return counted(s, "no-btf")
	if (kind == "lineage") return counted(s, "lineage")
	if (kind == "other") return counted(s, "other")
	if (kind == "total") return total_pass[s] + 0 " / " total_fail[s] + 0 (total_skip[s] ? " (" total_skip[s] " skipped)" : "")
	if (kind == "time") return sprintf("%.0f s + %.0f s", vm_smoke[s] / 1000, vm_filter[s] / 1000)
	return "?"
}

END {
	ns = split(suites, col, " ")
	print "## What each kernel has"
	print ""
	header("feature (added in)", "where missing, ipft")
	row("drop reasons (5.17)", "drop_reasons", "marks the free as a drop, reason `UNKNOWN`")
	row("module functions: module BTF (5.11)", "module_btf", "traces the kernel's own functions only")
	row("IBT: `CONFIG_X86_KERNEL_IBT` (5.18)", "ibt", "(nothing to do without)")
	row("kprobe-multi (5.18, `CONFIG_FPROBE`)", "kprobe-multi-has", "`auto` takes `kprobe`")
	row("kprobe attach cookies, perf-event BPF links (5.15)", "lacks:kprobe attach cookies", "sets the programs by ioctl, finds each function by its address")
	row("`bpf_get_func_ip` in kprobes (5.15)", "lacks:bpf_get_func_ip in kprobes", "the kprobe's address from the registers")
	row("`bpf_get_func_ip` in fentry/fexit (5.15)", "lacks:bpf_get_func_ip in fentry/fexit", "the kallsyms address, patched into each clone")
	row("`bpf_get_func_ret` (5.17)", "lacks:bpf_get_func_ret", "reads the slot after the arguments")
	row("atomic fetch-and-add (5.12)", "lacks:atomic fetch-and-add", "packet ids carry the CPU in their low bits")
	row("TAI clock: `bpf_ktime_get_tai_ns` (6.1)", "lacks:bpf_ktime_get_tai_ns", "wall-clock offset measured in user space")
	row("`bpf_rdonly_cast` in raw tracepoints (6.2)", "lacks:bpf_rdonly_cast in raw tracepoints", "raw_tp programs read each `sk_buff` field by a helper call")
	row("`bpf_rdonly_cast` in kprobes (6.2)", "lacks:bpf_rdonly_cast in kprobes", "kprobe programs read each `sk_buff` field by a helper call")
	row("attach cookies on raw tracepoints (6.10)", "lacks:attach cookies on raw tracepoints", "a typed clone per tracepoint instead of three copies of one shared program")
	print ""
	print "## How each backend fared (tests passed)"
	print ""
	header("backend, check", "")
	row("tracepoint (`tp_btf`, `raw_tp`)", "backend:tracepoint:tracepoint", "")
	row("kprobe-multi", "backend:kprobe-multi:kprobe-multi", "")
	row("kprobe", "backend:kprobe:kprobe", "")
	row("fentry/fexit (`-t function_graph`)", "backend:fentry:fentry", "")
	row("function_graph return values", "graph", "")
	row("function addresses against /proc/kallsyms", "addr", "")
	row("`auto` picks", "auto", "")
	row("start to tracing, UDP drop run", "start", "")
	row("attach / detach every function (auto's backend)", "attach_all", "")
	row("pcap filter: xlat-diff and traced expressions", "filter", "")
	row("lineage: a GRE tunnel's packet (tracepoints); clones, copies, segments, GRO merges, reassembly, a moved buffer (`-t function_graph`; `-t function`: each kprobe backend)", "lineage", "")
	row("no BTF: refused in one line, nothing loaded", "no-btf", "")
	row("start-up, `-l`, auto, namespaces", "other", "")
	row("tests passed / failed", "total", "")
	row("guest time, smoke + filter (QEMU TCG)", "time", "")
}
