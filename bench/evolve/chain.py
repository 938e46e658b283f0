#!/usr/bin/env python3
"""Writes the benchmark σz Ising chain (H = −Σ Z_i Z_{i+1} − 0.7 Σ X_i, one Ohmic bath per site through Z_i,
η = 0.01, ω_c = 5, T = 1, Lamb shift on) as a model file with the observables mx = (1/n) Σ X_i and zz_bulk."""
import sys
n = int(sys.argv[1])
lines = ["sites: [" + ", ".join(["2"] * n) + "]", "hamiltonian:"]
lines += [f'  - [-1.0, "Z{i} Z{i+1}"]' for i in range(n - 1)] + [f'  - [-0.7, "X{i}"]' for i in range(n)]
lines += ["baths:"] + [f'  - {{name: site{i}, temperature: 1.0, spectrum: {{type: ohmic, eta: 0.01, cutoff: 5}}, couplings: ["Z{i}"]}}'
                       for i in range(n)]
lines += ["observables:", "  mx: [" + ", ".join(f'[{1 / n!r}, "X{i}"]' for i in range(n)) + "]",
          f'  zz_bulk: "Z{n // 2 - 1} Z{n // 2}"']
print("\n".join(lines))
