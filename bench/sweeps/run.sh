#!/bin/sh
# Timings of docs/benchmarks.md, "Parameter sweeps": a 1,000-point qubit sweep (start-up paid once) and the n = 8
# Ising chain with --jobs 2 against --jobs 1. Run from the repository root after a Release build; best on a quiet
# machine (the load is printed before each run).
set -e
davies="dotnet src/Davies.Cli/bin/Release/net10.0/davies.dll"
t() { label=$1; shift; uptime; /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys" "$@" > /dev/null; }
t "qubit, 1 point" $davies sweep examples/sweeps/qubit_temperature.yaml --set T=0.5 --quantity expectations.sz --csv --quiet
t "qubit, 1000 points, --jobs 1" $davies sweep examples/sweeps/qubit_temperature.yaml --set T=0.05:3:1000 \
  --quantity expectations.sz --quantity heat_currents.bath --csv --quiet --jobs 1
t "qubit, 1000 points, --jobs 2" $davies sweep examples/sweeps/qubit_temperature.yaml --set T=0.05:3:1000 \
  --quantity expectations.sz --quantity heat_currents.bath --csv --quiet --jobs 2
for r in 1 2 3; do
  for j in 1 2; do
    t "chain n = 8, 100 points, --jobs $j" $davies sweep bench/sweeps/ising_chain8.yaml --set J=0.2:1.7:100 \
      --quantity spectrum.spectral_gap --quantity expectations.mx --csv --quiet --jobs $j
  done
done
