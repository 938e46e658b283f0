#!/bin/bash
# Whole-process ratio at n = 7 against QuTiP 4.7 (docs/benchmarks.md, "Whole-process ratio"): the Native AOT davies
# on bench/qutip/chain7.yaml against a Python process that imports QuTiP and computes the same steady state
# (bloch_redfield_tensor + steadystate, as bench/qutip_compare.py does).
# Usage: bench/qutip/whole_process.sh [DAVIES_BINARY] [REPEATS]   (default out/davies/davies, 20)
# Build the binary first: dotnet publish src/Davies.Cli -c Release -r linux-x64 -p:PublishAot=true -o out/davies
set -e
cd "$(dirname "$0")/../.."
B=${1:-out/davies/davies}
R=${2:-20}
echo "date $(date -u '+%F %T UTC'); $(uptime | sed 's/.*load/load/')"
echo "davies: perf stat -r $R $B steady bench/qutip/chain7.yaml --json --quiet"
perf stat -r "$R" "$B" steady bench/qutip/chain7.yaml --json --quiet 2>&1 >/dev/null | grep -E "task-clock|page-faults|elapsed"
echo "QuTiP: one /usr/bin/python3 process (import qutip, build H and the couplings, bloch_redfield_tensor, steadystate)"
/usr/bin/time -f "  %e s elapsed (%U s user, %S s sys)" /usr/bin/python3 -c "
import sys, time; sys.path.insert(0, 'bench')
t0 = time.perf_counter()
import qutip_compare as q
rho, t_br, t_ss = q.run_qutip(7)
print(f'  in-process: import {q.__name__} and set-up {time.perf_counter() - t0 - t_br - t_ss:.2f} s, BR tensor {t_br:.2f} s, steadystate {t_ss:.3f} s')
"
echo "$(uptime | sed 's/.*load/load/') after"
