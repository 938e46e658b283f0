#!/usr/bin/python3
"""Davies vs QuTiP 4.7 on the transverse-field Ising chain (docs/benchmarks.md).

H = -J sum Z_i Z_{i+1} - h sum X_i (J = 1, h = 0.7, open ends); site i coupled through sigma^z_i to its own
Ohmic bath (eta = 0.01, omega_c = 5, T = 1). QuTiP: bloch_redfield_tensor(H, a_ops, use_secular=True) then
steadystate(R) (no Lamb shift in QuTiP 4.7's BR tensor). Davies: the Release-built bench harness
(`Davies.Bench single --n N --no-lamb --rho FILE`) in a fresh process for each n.

Usage: /usr/bin/python3 bench/qutip_compare.py [--nmin 4] [--nmax 7] [--out FILE.json] [--check-qubit-only]
Build the harness first: dotnet build bench/Davies.Bench -c Release
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    import qutip
except ImportError as e:  # pragma: no cover
    sys.exit(f"qutip_compare: {e}. Install QuTiP with: apt-get install python3-qutip  (or pip install 'qutip<5')")

J, H_FIELD, ETA, CUTOFF, T = 1.0, 0.7, 0.01, 5.0, 1.0
BETA = 1.0 / T
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(ROOT, "bench", "Davies.Bench", "bin", "Release", "net10.0", "Davies.Bench")


def rate(w):
    """G(w) = 2 pi J(w) (n(w) + 1), J odd Ohmic; G(w > 0) is emission (docs/conventions.md). Scalar or array."""
    if isinstance(w, (float, int)):  # QuTiP 4.7 calls it once per frequency: keep the scalar path cheap
        if w == 0:
            return 2 * math.pi * ETA / BETA
        return 2 * math.pi * ETA * w * math.exp(-abs(w) / CUTOFF) / -math.expm1(-BETA * w)
    w = np.asarray(w, dtype=float)
    safe = np.where(w == 0, 1.0, w)
    g = 2 * np.pi * ETA * safe * np.exp(-np.abs(safe) / CUTOFF) / -np.expm1(-BETA * safe)
    g = np.where(w == 0, 2 * np.pi * ETA / BETA, g)
    return float(g) if g.ndim == 0 else g


def check_qubit():
    """QuTiP's spectrum sign: H = (w0/2) sz, coupling sx must give <sz> = -tanh(beta w0 / 2)."""
    w0 = 1.3
    H = 0.5 * w0 * qutip.sigmaz()
    R, ekets = qutip.bloch_redfield_tensor(H, a_ops=[[qutip.sigmax(), rate]], use_secular=True)
    rho = qutip.steadystate(R).transform(ekets, True)
    got, want = qutip.expect(qutip.sigmaz(), rho), -np.tanh(BETA * w0 / 2)
    ok = abs(got - want) < 1e-8
    print(f"qubit check: QuTiP <sz> = {got:.12f}, expected -tanh(beta w0/2) = {want:.12f}: {'ok' if ok else 'MISMATCH'}")
    if not ok:
        sys.exit("qutip_compare: spectrum sign convention mismatch")


def chain(n):
    ops = lambda site, op: qutip.tensor([op if k == site else qutip.qeye(2) for k in range(n)])
    H = 0 * ops(0, qutip.qeye(2))
    for i in range(n - 1):
        H += -J * ops(i, qutip.sigmaz()) * ops(i + 1, qutip.sigmaz())
    for i in range(n):
        H += -H_FIELD * ops(i, qutip.sigmax())
    return H, [ops(i, qutip.sigmaz()) for i in range(n)]


def run_qutip(n):
    H, couplings = chain(n)
    t0 = time.perf_counter()
    R, ekets = qutip.bloch_redfield_tensor(H, a_ops=[[s, rate] for s in couplings], use_secular=True)
    t1 = time.perf_counter()
    rho = qutip.steadystate(R)
    t2 = time.perf_counter()
    rho = rho.transform(ekets, True).full()
    return rho, t1 - t0, t2 - t1


def run_davies(n):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rho.json")
        t0 = time.perf_counter()
        out = subprocess.run([HARNESS, "single", "--n", str(n), "--coupling", "z", "--no-lamb", "--rho", path,
                              "--repeat", "5" if n <= 9 else "0"],
                             check=True, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        info = json.loads(out.stdout)
        with open(path) as f:
            m = json.load(f)
    return np.array(m["re"]) + 1j * np.array(m["im"]), info, wall


def trace_distance(a, b):
    d = a - b
    return 0.5 * np.abs(np.linalg.eigvalsh(0.5 * (d + d.conj().T))).sum()


def gibbs(n):
    H, _ = chain(n)
    e, v = np.linalg.eigh(H.full())
    p = np.exp(-BETA * (e - e[0]))
    return (v * (p / p.sum())) @ v.conj().T


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nmin", type=int, default=4)
    ap.add_argument("--nmax", type=int, default=7)
    ap.add_argument("--out")
    ap.add_argument("--check-qubit-only", action="store_true")
    a = ap.parse_args()
    print(f"QuTiP {qutip.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    check_qubit()
    if a.check_qubit_only:
        return
    if not os.path.exists(HARNESS):
        sys.exit(f"qutip_compare: {HARNESS} not found; build it with: dotnet build bench/Davies.Bench -c Release")
    rows = []
    print(f"{'n':>3} {'d':>5} {'QuTiP BR s':>11} {'QuTiP ss s':>11} {'QuTiP s':>9} {'Davies s':>9} {'ratio':>9} "
          f"{'warm s':>9} {'ratio':>8} "
          f"{'Davies proc s':>13} {'ratio(proc)':>11} {'trace dist':>11} {'QuTiP-Gibbs':>11} {'Davies-Gibbs':>12}")
    for n in range(a.nmin, a.nmax + 1):
        rho_q, t_br, t_ss = run_qutip(n)
        rho_d, info, wall = run_davies(n)
        t_q, t_d = t_br + t_ss, info["total_s"]
        t_w = info.get("warm_total_s") or t_d
        g = gibbs(n)
        row = dict(n=n, d=2 ** n, qutip_br_s=t_br, qutip_steady_s=t_ss, qutip_s=t_q, davies_s=t_d,
                   davies_warm_s=t_w, ratio_warm=t_q / t_w, davies_process_s=wall, ratio=t_q / t_d, ratio_process=t_q / wall,
                   trace_distance=trace_distance(rho_q, rho_d), qutip_gibbs=trace_distance(rho_q, g),
                   davies_gibbs=trace_distance(rho_d, g), davies_backend=info["backend"], davies_rates=info["rates"])
        rows.append(row)
        print(f"{n:>3} {2**n:>5} {t_br:>11.3f} {t_ss:>11.3f} {t_q:>9.3f} {t_d:>9.4f} {t_q/t_d:>8.0f}x "
              f"{t_w:>9.4f} {t_q/t_w:>7.0f}x "
              f"{wall:>13.3f} {t_q/wall:>10.1f}x {row['trace_distance']:>11.2e} {row['qutip_gibbs']:>11.2e} "
              f"{row['davies_gibbs']:>12.2e}", flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(dict(qutip=qutip.__version__, numpy=np.__version__,
                           date=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                           model="TFIM chain J=1 h=0.7, sigma_z per site, ohmic eta=0.01 cutoff=5 T=1, no Lamb shift",
                           runs=rows), f, indent=2)
            f.write("\n")
        print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
