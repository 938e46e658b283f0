#!/usr/bin/python3
# Compares two davies binaries number by number (docs/benchmarks.md, "Whole-process time, fourth pass"): `steady` and
# `spectrum --json --quiet` on every shipped example except the n = 12 ETH ones and on bench/qutip/chain7.yaml; every key
# but "backend" (which names the library). Usage: /usr/bin/python3 bench/startup/compare_numbers.py BEFORE_BINARY AFTER_BINARY
import json, subprocess, sys, glob
A, B = sys.argv[1], sys.argv[2]
files = sorted(f for f in glob.glob('examples/**/*.*', recursive=True) if f.endswith(('.yaml','.yml','.json')) and '/eth/' not in f) + ['bench/qutip/chain7.yaml']
def walk(a, b, path, out):
    if isinstance(a, dict):
        for k in set(a) | set(b):
            if k == 'backend': continue
            if k not in a or k not in b: out.append((path+'/'+k, 'missing')); continue
            walk(a[k], b[k], path+'/'+k, out)
    elif isinstance(a, list):
        if len(a) != len(b): out.append((path, 'len')); return
        for i,(x,y) in enumerate(zip(a,b)): walk(x, y, f'{path}[{i}]', out)
    elif isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            if a != b: out.append((path, f'{a} vs {b}'))
            return
        d = abs(a-b)
        if d > 0: out.append((path, d, max(abs(a),abs(b))))
    elif a != b: out.append((path, f'{a!r} vs {b!r}'))
for f in files:
    for verb in ['steady', 'spectrum']:
        ra = subprocess.run([A, verb, f, '--json', '--quiet'], capture_output=True, text=True)
        rb = subprocess.run([B, verb, f, '--json', '--quiet'], capture_output=True, text=True)
        if ra.returncode != rb.returncode: print(f, verb, 'exit', ra.returncode, rb.returncode); continue
        if ra.returncode != 0: 
            if ra.stderr != rb.stderr: print(f, verb, 'stderr differs')
            continue
        out = []
        walk(json.loads(ra.stdout), json.loads(rb.stdout), '', out)
        num = [o for o in out if len(o) == 3]
        other = [o for o in out if len(o) != 3]
        worst = max((o[1] for o in num), default=0)
        print(f'{f:45s} {verb:8s} numbers differing {len(num):4d}, max abs diff {worst:.2e}', 'OTHER: '+str(other[:3]) if other else '')
