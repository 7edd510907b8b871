/* request.h - one call from Wireshark to ipft-extcap: which step of the
 * extcap protocol, for which interface, with the settings of the capture
 * dialog (the extcap's own and the ipft options it forwards). */
#ifndef XC_REQUEST_H
#define XC_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

/* The two interfaces ipft-extcap offers. */
#define XC_IFACE_LOCAL "ipft"
#define XC_IFACE_REMOTE "ipft-ssh"

enum xc_step {
	XC_STEP_NONE,
	XC_STEP_INTERFACES,   /* --extcap-interfaces */
	XC_STEP_DLTS,         /* --extcap-dlts */
	XC_STEP_CONFIG,       /* --extcap-config */
	XC_STEP_RELOAD,       /* --extcap-config --extcap-reload-option NAME */
	XC_STEP_FILTER_CHECK, /* --extcap-capture-filter F without --capture */
	XC_STEP_CAPTURE,      /* --capture --fifo PATH */
	XC_STEP_VERSION,      /* --version */
	XC_STEP_HELP,         /* --help */
};

enum xc_iface { XC_LOCAL = 1, XC_REMOTE = 2 };

/* An ipft option from the dialog, passed on to ipft as --NAME VALUE. */
struct xc_forward {
	const char *name;  /* long name, without "--" */
	const char *value; /* NULL for a flag */
};

#define XC_FORWARD_MAX 48

/* What the extcap itself is told (extcap/own_options.c lists them). */
struct xc_settings {
	const char *ipft_path;     /* local: the ipft program */
	const char *log_file;      /* ipft's messages and the counters */
	const char *attach_point;  /* one chosen from ipft -l: joins -r */
	const char *host;          /* remote: the SSH server */
	const char *port;
	const char *user;
	const char *key;           /* identity file */
	const char *ssh_options;   /* more ssh arguments, split at spaces */
	const char *remote_ipft;   /* ipft on the server; empty: searched */
	const char *remote_priv;   /* "none" or "sudo" */
	const char *trace_transport; /* set: do not exclude the SSH connection */
};

struct xc_request {
	enum xc_step step;
	const char *iface;          /* --extcap-interface */
	const char *capture_filter; /* --extcap-capture-filter */
	const char *fifo;           /* --fifo */
	const char *control_in;     /* --extcap-control-in: Wireshark to us */
	const char *control_out;    /* --extcap-control-out: us to Wireshark */
	const char *reload;         /* --extcap-reload-option */
	struct xc_settings set;
	struct xc_forward fwd[XC_FORWARD_MAX];
	size_t n_fwd;
	char regex[1024];           /* -r with the attach point joined */
};

/* Reads argv into rq: 0, or -1 with one line in err. */
int xc_request_parse(int argc, char **argv, struct xc_request *rq, char *err, size_t len);
/* XC_LOCAL, XC_REMOTE, or 0 for a name that is not ours. */
enum xc_iface xc_iface_kind(const char *name);

#endif
