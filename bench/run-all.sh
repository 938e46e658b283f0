#!/usr/bin/env bash
# The recorded runs of docs/benchmarks.md (≈ 30 minutes on 2 cores and 24 GiB, n = 14 alone 12–16 minutes). Writes
# bench/results/*.json|jsonl|txt and docs/benchmarks.png.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Davies.Bench -c Release -nologo -v q
B=bench/Davies.Bench/bin/Release/net10.0/Davies.Bench
$B chain --coupling z --nmin 4 --nmax 14 --gap --stop-after 1800 --timeout 2400 --max-gib 18 --out bench/results/chain-z.json | tee bench/results/chain-z.txt
$B chain --coupling x --nmin 4 --nmax 12 --gap --stop-after 600 --out bench/results/chain-x.json | tee bench/results/chain-x.txt
# the eigendecomposition floor, by symmetry blocks and plain (the plain one at n = 14 would take ~10 minutes more)
: > bench/results/floor-z.jsonl
for n in 4 5 6 7 8 9 10 11 12 13; do $B floor --n $n --coupling z >> bench/results/floor-z.jsonl; done
$B floor --n 14 --coupling z --no-plain >> bench/results/floor-z.jsonl
/usr/bin/python3 bench/qutip_compare.py --nmin 4 --nmax 7 --out bench/results/qutip.json | tee bench/results/qutip.txt
bench/evolve/run.sh 8 10 12 | tee bench/results/evolve-scale.txt
$B plot --in bench/results/chain-z.json --in bench/results/chain-x.json --qutip bench/results/qutip.json --out docs/benchmarks.png
