/* own_options.c - the extcap's own settings: which ipft runs, where the
 * log goes, and how to reach a remote host. */
#include "extcap/own_options.h"

#include <stddef.h>
#include <string.h>

#define FIELD(f) offsetof(struct xc_settings, f)

const struct xc_own_option xc_own_options[] = {
	{ "ipft-path", XC_ARG_FILE, XC_LOCAL, "Program", "ipft program",
	  "the ipft to run: it needs root, or the capabilities CAP_BPF and CAP_PERFMON "
	  "(make install-capabilities sets them on the installed ipft)",
	  .def = IPFT_DEFAULT_PATH, .field = FIELD(ipft_path) },

	/* A selector, not an editable list on the regex itself: Wireshark
	 * 4.0 has no editselector. */
	{ "attach-point", XC_ARG_RELOADED, XC_LOCAL | XC_REMOTE, NULL, "Attach point",
	  "press Reload to list the attach points ipft finds (ipft -l); the one chosen is "
	  "traced alone, or added to the regular expression", .beside = "regex",
	  .field = FIELD(attach_point) },

	{ "remote-host", XC_ARG_STRING, XC_REMOTE, "Server", "Remote SSH server",
	  "host name or address of the machine to trace; ssh's own configuration "
	  "(~/.ssh/config) applies", .extra = "host or user@host", .required = true,
	  .field = FIELD(host) },
	{ "remote-port", XC_ARG_UNSIGNED, XC_REMOTE, "Server", "SSH port",
	  "the SSH server's port", .def = "22", .extra = "1,65535", .field = FIELD(port) },
	{ "remote-ipft", XC_ARG_STRING, XC_REMOTE, "Server", "Remote ipft program",
	  "ipft on the server; empty: ipft in the login PATH, /usr/local/sbin or /usr/sbin",
	  .extra = "/usr/local/sbin/ipft", .field = FIELD(remote_ipft) },
	{ "remote-priv", XC_ARG_RADIO, XC_REMOTE, "Server", "Run ipft with",
	  "none: as the SSH user (root, or an ipft with CAP_BPF and CAP_PERFMON); "
	  "sudo: through sudo -n, which must not ask for a password",
	  .def = "none", .extra = "none|sudo", .field = FIELD(remote_priv) },
	{ "trace-transport", XC_ARG_FLAG, XC_REMOTE, "Server", "Trace the SSH connection too",
	  "by default the SSH connection that carries the trace is left out (each packet "
	  "written would otherwise make more packets to trace)", .field = FIELD(trace_transport) },

	{ "remote-user", XC_ARG_STRING, XC_REMOTE, "Authentication", "SSH user",
	  "the user to log in as; empty: ssh's default", .field = FIELD(user) },
	{ "ssh-key", XC_ARG_FILE, XC_REMOTE, "Authentication", "SSH private key",
	  "an identity file; without one ssh uses the agent and its default keys. "
	  "ipft-extcap never asks for a password (ssh -o BatchMode=yes)", .field = FIELD(key) },
	{ "ssh-options", XC_ARG_STRING, XC_REMOTE, "Authentication", "More ssh options",
	  "passed to ssh as they are, split at spaces",
	  .extra = "-o ProxyJump=bastion", .field = FIELD(ssh_options) },

	{ "log-file", XC_ARG_FILE, XC_LOCAL | XC_REMOTE, "Log", "Log file",
	  "ipft's messages and the counters (packets, events, lost) every second, appended",
	  .field = FIELD(log_file) },
};

const size_t xc_n_own_options = sizeof(xc_own_options) / sizeof(xc_own_options[0]);

const struct xc_own_option *xc_own_option_find(const char *name)
{
	for (size_t i = 0; i < xc_n_own_options; i++)
		if (strcmp(xc_own_options[i].name, name) == 0)
			return &xc_own_options[i];
	return NULL;
}

const char **xc_own_value(struct xc_settings *s, const struct xc_own_option *o)
{
	return (const char **)((char *)s + o->field);
}
