#!/usr/bin/env bash
# Free-qubit chain (H = Σ 0.5 Z_i, each X_i on its own Ohmic bath, T = 0.5) and a qubit with n − 1 spectator
# sites: steady state and spectrum, wall time and peak resident memory, for n = 6, 8, 10, 12 (docs/benchmarks.md).
# Usage: bench/degenerate/run.sh [DAVIES_DLL] [TIMEOUT_S]   (default: the Release build of src/Davies.Cli, 120 s)
set -u
cd "$(dirname "$0")/../.."
dll=${1:-src/Davies.Cli/bin/Release/net10.0/davies.dll}
limit=${2:-120}
dir=$(mktemp -d)
for n in 6 8 10 12; do
  sites=$(python3 -c "print(', '.join(['2']*$n))")
  {
    echo "sites: [$sites]"
    echo -n "hamiltonian: ["; for ((i = 0; i < n; i++)); do [ $i -gt 0 ] && echo -n ", "; echo -n "[0.5, \"Z$i\"]"; done; echo "]"
    echo "baths:"
    for ((i = 0; i < n; i++)); do
      echo "  - {name: b$i, temperature: 0.5, spectrum: {type: ohmic, eta: 0.05, cutoff: 10}, couplings: [\"X$i\"]}"
    done
  } > "$dir/free$n.yaml"
  printf 'sites: [%s]\nhamiltonian: [[0.5, "Z0"]]\nbaths:\n  - {name: bath, temperature: 0.5, spectrum: {type: ohmic, eta: 0.05, cutoff: 10}, couplings: ["X0"]}\n' \
    "$sites" > "$dir/spectators$n.yaml"
done
printf 'model\tn\tcommand\texit\twall_s\tpeak_MiB\tresult\n'
for model in free spectators; do
  for n in 6 8 10 12; do
    for cmd in steady spectrum; do
      out=$(mktemp)
      /usr/bin/time -f '%e %M' -o "$out.time" timeout "$limit" dotnet "$dll" "$cmd" "$dir/$model$n.yaml" --json > "$out" 2> "$out.err"
      rc=$?
      read -r wall kb < <(tail -1 "$out.time")
      if [ $rc -eq 0 ]; then
        result=$(python3 -c "
import json; o = json.load(open('$out'))
if '$cmd' == 'steady': print(f\"kernel {o['kernel_dimension']}, Gibbs distance {o['gibbs_trace_distance']:.1e}, {o['method']}\")
else: print(f\"gap {o['spectral_gap']:.12g}, kernel {o['kernel_dimension']}, {o['method']}\")")
      elif [ $rc -eq 124 ]; then result="timeout (> $limit s)"; wall=">$limit"
      else result=$(grep -m1 -oE '(internal error|error)[^.]*' "$out.err" | cut -c1-90); fi
      printf '%s\t%d\t%s\t%d\t%s\t%d\t%s\n' "$model" "$n" "$cmd" "$rc" "$wall" "$((kb / 1024))" "$result"
      rm -f "$out" "$out.err" "$out.time"
    done
  done
done
rm -rf "$dir"
