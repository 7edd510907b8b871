/* cli.h - command-line parsing. */
#ifndef IPFT_CLI_H
#define IPFT_CLI_H

#include "tracer/cli/options.h"

/* 0: run with cfg; 1: done (help/version printed); -1: error printed. */
int ipft_cli_parse(int argc, char **argv, struct ipft_config *cfg);
void ipft_cli_free(struct ipft_config *cfg);

#endif
