#!/usr/bin/env python3
"""Prints the Markdown result tables of docs/benchmarks.md from bench/results/chain-*.json.

Usage: python3 bench/md_tables.py bench/results/chain-z.json [bench/results/chain-x.json ...]
A file may also hold the two JSON lines of `Davies.Bench single --gap` (steady state, then gap).
"""
import json
import sys


def fmt(x):
    if x is None:
        return "–"
    return f"{x:.1f}" if x >= 10 else f"{x:.3f}"


def runs_of(path):
    text = open(path).read().strip()
    try:
        data = json.loads(text)
        return data["runs"]
    except json.JSONDecodeError:
        lines = [json.loads(line) for line in text.splitlines() if line.strip()]
        run = dict(lines[0])
        for extra in lines[1:]:
            run.update(extra)
        return [run]


def row(r):
    # build + steady from its parts: `chain` files add the gap into total_s (Chain.cs), single-run files do not
    steady_total = r["build_s"] + r["steady_s"]
    build = f"{fmt(r['build_s'])} ({r['eig_s']:.3f} / {r.get('bohr_s', 0):.3f} / {r['couplings_s']:.3f} / {r['rates_s']:.3f})"
    steady = f"{fmt(r['steady_s'])} ({r['generator_s']:.3f} / {r['solve_s']:.3f} / {r['currents_s']:.3f} / {r['shifted_s']:.3f})"
    if r.get("gap_s") is not None:
        st = r.get("gap_stages_s", {})
        gap = (f"{fmt(r['gap_s'])} ({st.get('Bohr sectors', 0):.2f} / {st.get('population block', 0):.2f} / "
               f"{st.get('sector decay bounds', 0):.2f} / {st.get('sectors', 0):.2f})")
        g = f"{r['gap']:.4f}"
        tot = fmt(steady_total + r["gap_s"])
    else:
        gap, g, tot = "–", "–", "–"
    return (f"| {r['n']} | {r['d']} | {build} | {steady} | {fmt(steady_total)} | {gap} | {g} | {tot} | "
            f"{r['peak_mib']:.0f} | {r['gibbs_trace_distance']:.1e} | {r['residual']:.1e} |")


HEADER = ("| n | d | build (eig / bohr / couplings / rates) | steady (generator / solve / currents / shifted) | "
          "build + steady | gap s (sectors / population / bounds / sector loop) | gap | build + steady + gap | "
          "peak MiB | Gibbs distance | residual |\n"
          "|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|")

if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(f"<!-- {path} -->")
        print(HEADER)
        for r in runs_of(path):
            print(row(r))
        print()
