#!/usr/bin/env python3
"""Import circles among the core's modules: the graph of src/ from `use` trees and inline
crate::/super::/self:: paths (test modules excluded, `pub use` re-exports followed to the
defining module, a module and its own parent or child not counted), then the same graph with
modules collapsed to the top level (crypto, vault, api...). Prints both; exits 1 on any circle.
Usage: python3 scripts/check-import-circles.py [src]"""
import os, re, sys
root = sys.argv[1] if len(sys.argv) > 1 else 'src'
mods = {}
for dp, _, fs in os.walk(root):
    for f in fs:
        if not f.endswith('.rs'): continue
        p = os.path.join(dp, f); rel = os.path.relpath(p, root)[:-3]
        if rel.startswith('bin'): continue
        parts = rel.split(os.sep)
        if parts[-1] in ('lib', 'mod'): parts = parts[:-1]
        mods['::'.join(parts)] = p
def strip(src):
    src = re.sub(r'//[^\n]*', '', src)
    m = re.search(r'#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod tests', src)
    return src[:m.start()] if m else src
texts = {m: strip(open(p).read()) for m, p in mods.items()}
def expand(tree):
    # "a::{b, c::{d, e}}" -> ["a::b", "a::c::d", "a::c::e"]
    tree = tree.strip()
    i = tree.find('{')
    if i < 0: return [re.sub(r'\s+as\s+\w+$', '', tree)]
    prefix, body = tree[:i], tree[i+1:tree.rfind('}')]
    out, depth, cur = [], 0, ''
    for ch in body:
        if ch == ',' and depth == 0: out += expand(prefix + cur); cur = ''; continue
        depth += ch == '{'; depth -= ch == '}'; cur += ch
    if cur.strip(): out += expand(prefix + cur)
    return out
def absolute(mod, path):
    segs = [s for s in path.split('::') if s]
    base = mod.split('::') if mod else []
    if segs[0] == 'crate': base, segs = [], segs[1:]
    elif segs[0] == 'self': segs = segs[1:]
    elif segs[0] == 'super':
        while segs and segs[0] == 'super': base, segs = base[:-1], segs[1:]
    else: return None
    return [s for s in base + segs if s != 'self']
def longest_mod(segs):
    for n in range(len(segs), -1, -1):
        if '::'.join(segs[:n]) in mods: return '::'.join(segs[:n]), segs[n:]
    return '', segs
reexp = {}  # (module, name) -> path segs
for m, t in texts.items():
    for u in re.findall(r'pub(?:\([^)]*\))?\s+use\s+([^;]+);', t, re.S):
        for p in expand(u):
            a = absolute(m, p) if p.split('::')[0] in ('crate','self','super') else absolute(m, 'self::' + p)
            if a: reexp[(m, a[-1])] = a
def resolve(segs, depth=0):
    mod, rest = longest_mod(segs)
    if rest and (mod, rest[0]) in reexp and depth < 10 and reexp[(mod, rest[0])] != segs:
        return resolve(reexp[(mod, rest[0])], depth + 1)
    return mod
edges = {m: set() for m in mods}
for m, t in texts.items():
    paths = []
    for u in re.findall(r'\buse\s+([^;]+);', t, re.S):
        paths += [p for p in expand(u)]
    paths += re.findall(r'(?<![\w:])((?:crate|super|self)(?:::\w+)+)', t)
    for p in paths:
        if p.split('::')[0] not in ('crate','self','super'):
            continue
        a = absolute(m, p)
        if a is None: continue
        d = resolve(a)
        if d and d != m and not m.startswith(d + '::') and not d.startswith(m + '::'):
            edges[m].add(d)
# Tarjan SCC
idx, low, st, on, sccs, c = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v] = low[v] = c[0]; c[0] += 1; st.append(v); on.add(v)
    for w in edges[v]:
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        comp = []
        while True:
            w = st.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: sccs.append(sorted(comp))
for v in edges:
    if v not in idx: sc(v)
pairs = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, ())})
print('two-module circles:', *(f'{a} <-> {b}' for a, b in pairs), sep='\n  ')
print('strongly connected groups (any circle):')
for s in sccs: print('  ', ', '.join(s))
module_sccs = list(sccs)
# The same graph collapsed to top-level modules (crypto, vault, api, ...).
top = {}
for a in edges:
    for b in edges[a]:
        ta, tb = a.split('::')[0], b.split('::')[0]
        if ta != tb: top.setdefault(ta, set()).add(tb)
tp = sorted({tuple(sorted((a, b))) for a in top for b in top[a] if a in top.get(b, ())})
print('top-level two-module circles:', *(f'{a} <-> {b}' for a, b in tp), sep='\n  ')
edges = {m: set() for m in set(top) | {x for s in top.values() for x in s}}
for a in top: edges[a] = top[a]
idx.clear(); low.clear(); st.clear(); on.clear(); sccs.clear(); c[0] = 0
for v in edges:
    if v not in idx: sc(v)
print('top-level strongly connected groups:')
for s in sccs: print('  ', ', '.join(s))

sys.exit(1 if module_sccs or sccs else 0)
