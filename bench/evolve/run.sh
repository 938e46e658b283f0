#!/usr/bin/env bash
# Issue 16, evolution at scale: `davies evolve` (101 times, the model's 2 observables, from |0…0⟩) against `davies steady`
# on the σz benchmark chain, as whole commands (the JIT build, as `dotnet run` executes it), wall time and peak memory.
# Usage: bench/evolve/run.sh [N…]   (default 8 10 12)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/Davies.Cli -c Release -nologo -v q >/dev/null
D="dotnet src/Davies.Cli/bin/Release/net10.0/davies.dll"
tmp=$(mktemp -d)
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%3s %6s %10s %10s %10s %10s %6s\n' n d steady_s steady_GiB evolve_s evolve_GiB ratio
for n in "${@:-8 10 12}"; do
  for k in $n; do
    /usr/bin/python3 bench/evolve/chain.py "$k" > "$tmp/chain$k.yaml"
    /usr/bin/time -f '%e %M' -o "$tmp/steady.t" $D steady "$tmp/chain$k.yaml" --json --quiet > "$tmp/steady.json"
    /usr/bin/time -f '%e %M' -o "$tmp/evolve.t" $D evolve "$tmp/chain$k.yaml" --initial "$(printf '0%.0s' $(seq "$k"))" \
      --times 0:50:101 --json --quiet > "$tmp/evolve.json"
    read -r ss sm < "$tmp/steady.t"
    read -r es em < "$tmp/evolve.t"
    awk -v n="$k" -v ss="$ss" -v sm="$sm" -v es="$es" -v em="$em" \
      'BEGIN { printf "%3d %6d %10.2f %10.2f %10.2f %10.2f %6.2f\n", n, 2^n, ss, sm/1048576, es, em/1048576, es/ss }'
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$tmp"
