/* command.c - the argument vectors of ipft (local) and ssh (remote).
 *
 * The remote interface uses the OpenSSH client rather than a library:
 * the user's ~/.ssh/config, known_hosts, agent, ProxyJump, certificates
 * and hardware keys all work as in a terminal, and nothing new is linked.
 * BatchMode=yes makes ssh fail instead of asking a question nobody sees
 * (Wireshark has no terminal): keys or an agent only, no passwords. */
#include "extcap/command.h"
#include "extcap/remote_script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Connection settings: fail fast when the host is not there, notice
 * when it goes away while tracing. */
static const char *const ssh_fixed[] = {
	"ssh", "-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
	"-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3",
};

static int add(struct xc_command *c, const char *arg)
{
	if (c->n == XC_ARGV_MAX)
		return -1;
	c->argv[c->n++] = arg;
	c->argv[c->n] = NULL;
	return 0;
}

const char *xc_command_program(const struct xc_request *rq)
{
	if (xc_iface_kind(rq->iface) == XC_REMOTE)
		return "ssh";
	return rq->set.ipft_path && rq->set.ipft_path[0] ? rq->set.ipft_path : IPFT_DEFAULT_PATH;
}

int xc_command_local(const struct xc_request *rq, enum xc_task task, struct xc_command *c)
{
	int rc = 0;

	memset(c, 0, sizeof(*c));
	rc |= add(c, xc_command_program(rq));
	if (task == XC_TASK_LIST)
		return rc | add(c, "-l");
	rc |= add(c, "-v") | add(c, "-w") | add(c, "-");
	for (size_t i = 0; i < rq->n_fwd; i++) {
		snprintf(c->flags[i], sizeof(c->flags[i]), "--%s", rq->fwd[i].name);
		rc |= add(c, c->flags[i]);
		if (rq->fwd[i].value)
			rc |= add(c, rq->fwd[i].value);
	}
	if (rq->capture_filter && rq->capture_filter[0])
		rc |= add(c, rq->capture_filter);
	return rc;
}

/* --ssh-options cut at spaces; the words point into c->split. */
static int add_ssh_options(struct xc_command *c, const char *options)
{
	int rc = 0;

	if (!options || !options[0])
		return 0;
	c->split = strdup(options);
	if (!c->split)
		return -1;
	for (char *w = strtok(c->split, " \t"); w; w = strtok(NULL, " \t"))
		rc |= add(c, w);
	return rc;
}

static int add_ssh_settings(struct xc_command *c, const struct xc_settings *s)
{
	int rc = 0;

	for (size_t i = 0; i < sizeof(ssh_fixed) / sizeof(ssh_fixed[0]); i++)
		rc |= add(c, ssh_fixed[i]);
	if (s->port && s->port[0])
		rc |= add(c, "-p") | add(c, s->port);
	if (s->user && s->user[0])
		rc |= add(c, "-l") | add(c, s->user);
	if (s->key && s->key[0])
		rc |= add(c, "-i") | add(c, s->key) | add(c, "-o") | add(c, "IdentitiesOnly=yes");
	return rc | add_ssh_options(c, s->ssh_options);
}

int xc_command_remote(const struct xc_request *rq, enum xc_task task, struct xc_command *c,
		      char *err, size_t len)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if (!rq->set.host || !rq->set.host[0]) {
		snprintf(err, len, "no remote host: set it in the Server tab (--remote-host)");
		return -1;
	}
	c->script = xc_remote_script(rq, task);
	if (!c->script) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	/* "--": a host name cannot turn into an ssh option. */
	rc = add_ssh_settings(c, &rq->set) | add(c, "--") | add(c, rq->set.host) | add(c, c->script);
	if (rc) {
		snprintf(err, len, "too many ssh options");
		xc_command_free(c);
		return -1;
	}
	return 0;
}

void xc_command_free(struct xc_command *c)
{
	free(c->script);
	free(c->split);
	c->script = c->split = NULL;
}
