#!/usr/bin/env bash
# The recorded runs of docs/benchmarks.md (≈ 10 minutes on 2 cores). Writes bench/results/*.json|txt and
# docs/benchmarks.png.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Davies.Bench -c Release -nologo -v q
B=bench/Davies.Bench/bin/Release/net10.0/Davies.Bench
$B chain --coupling z --nmin 4 --nmax 13 --gap --stop-after 150 --out bench/results/chain-z.json | tee bench/results/chain-z.txt
$B chain --coupling x --nmin 4 --nmax 13 --gap --stop-after 150 --out bench/results/chain-x.json | tee bench/results/chain-x.txt
/usr/bin/python3 bench/qutip_compare.py --nmin 4 --nmax 7 --out bench/results/qutip.json | tee bench/results/qutip.txt
$B plot --in bench/results/chain-z.json --in bench/results/chain-x.json --qutip bench/results/qutip.json --out docs/benchmarks.png
