#!/bin/bash
# Byte-compares two davies binaries (docs/benchmarks.md, "Whole-process time, third pass"): stdout, stderr and exit code
# of `steady` and `spectrum --json --quiet` on every shipped example (examples/**/*.yaml|yml|json) and
# bench/qutip/chain7.yaml, the readable steady summary, the help texts and three error paths.
# Usage: bench/startup/compare_outputs.sh BEFORE_BINARY AFTER_BINARY   (the n = 12 ETH examples take ~10 min)
A=$1; B=$2
cd "$(dirname "$0")/../.."
n=0; bad=0
ea=$(mktemp); eb=$(mktemp); trap 'rm -f "$ea" "$eb"' EXIT
run() {
  oa=$("$A" "$@" 2>"$ea"); ca=$?; ob=$("$B" "$@" 2>"$eb"); cb=$?; n=$((n+1))
  if [ "$oa" != "$ob" ] || [ $ca != $cb ] || ! cmp -s "$ea" "$eb"; then bad=$((bad+1)); echo "DIFF: $* (exit $ca/$cb)"; fi
}
for f in $(find examples -name "*.yaml" -o -name "*.yml" -o -name "*.json" | sort) bench/qutip/chain7.yaml; do
  for verb in steady spectrum; do run $verb "$f" --json --quiet; done
done
run steady examples/qubit.yaml; run steady bench/qutip/chain7.yaml --json
run --help; run steady --help; run spectrum --help; run evolve --help; run bath --help; run sweep --help; run --version
run stedy examples/qubit.yaml; run steady missing.yaml; run steady examples/qubit.yaml --bogus
echo "compared $n outputs (stdout, stderr, exit code), $bad differ"
[ $bad -eq 0 ]
