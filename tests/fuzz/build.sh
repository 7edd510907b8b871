#!/bin/sh
# build.sh CLANG TOP_SRCDIR OUTDIR: builds the libFuzzer targets with ASan
# and UBSan (used by `make fuzz` and by tests/fuzz/fuzz.sh).
set -eu
clang=$1 src=$2 out=$3
flags="-std=gnu11 -Wall -Wextra -Werror -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$src"
mkdir -p "$out"
# shellcheck disable=SC2086
$clang $flags -o "$out/fuzz_ipft_format" \
	"$src/tests/fuzz/fuzz_ipft_format.c" "$src/codec/ipft_format.c" "$src/codec/ipft_packed.c"
# shellcheck disable=SC2086
$clang $flags -o "$out/fuzz_pcapng_reader" "$src/tests/fuzz/fuzz_pcapng_reader.c" \
	"$src/pcapng/pcapng_reader.c" "$src/codec/ipft_format.c" "$src/codec/ipft_packed.c"
