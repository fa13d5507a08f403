#!/bin/sh
# Nightly-style fuzzing: every fuzz property runs FUZZ_RUNS times its CI number of cases (default 20)
# from a fresh random seed. A failure prints fast-check's seed and path; replay it with
#   FUZZ_SEED=<seed> FUZZ_PATH=<path> node_modules/.bin/tap --grep '<test name>' test/fuzz/<file>.test.ts
# FUZZ_KNOWN_BUGS=1 also runs the inputs of bugs reported and not yet fixed (test/fuzz/known-bugs.ts).
#
#   scripts/fuzz-nightly.sh                      # about 15 minutes on two cores
#   FUZZ_RUNS=100 scripts/fuzz-nightly.sh
#
# The same without this script (no npm needed):
#   FUZZ_RUNS=20 FUZZ_SEED=random node_modules/.bin/tap --timeout=0 --disable-coverage test/fuzz/*.test.ts
set -eu
cd "$(dirname "$0")/.."
export FUZZ_RUNS="${FUZZ_RUNS:-20}"
export FUZZ_SEED="${FUZZ_SEED:-random}"
exec node_modules/.bin/tap --timeout=0 --disable-coverage --jobs=1 test/fuzz/*.test.ts
