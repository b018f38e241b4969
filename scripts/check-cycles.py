#!/usr/bin/env python3
"""Lists the cycles between the core's modules (the files and folders of src/domain, src/cases and
src/ingest, and src/store as one): which module names which other through `crate::name` paths,
outside tests. Exits 1 when there is a cycle.
Run from the repository's root: python3 scripts/check-cycles.py"""
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "src"
LAYERS = ["domain", "store", "cases", "ingest"]  # lowest first; the command line (src/cli) is a front end


def modules():
    out = {}
    for layer in LAYERS:
        folder = SRC / layer
        if layer == "store":
            out["store"] = sorted(folder.rglob("*.rs"))
            continue
        for path in folder.iterdir():
            if path.suffix == ".rs" and path.stem != "mod":
                out[path.stem] = [path]
            elif path.is_dir():
                out[path.name] = sorted(path.rglob("*.rs"))
    return out


def code_without_tests(text):
    # Everything from the first `#[cfg(test)]` on is test code (modules keep their tests last).
    return text.split("#[cfg(test)]")[0]


def edges(mods):
    graph = {m: set() for m in mods}
    for name, files in mods.items():
        for f in files:
            text = code_without_tests(f.read_text(encoding="utf-8"))
            for other in re.findall(r"\bcrate::(\w+)", text):
                if other in mods and other != name:
                    graph[name].add(other)
            for group in re.findall(r"use crate::\{([^}]*)\}", text):
                for other in re.findall(r"\b(\w+)\b", group):
                    if other in mods and other != name:
                        graph[name].add(other)
    return graph


def cycles(graph):
    found, seen = [], set()
    def walk(node, path):
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycle = path[path.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            elif len(path) < 8:
                walk(nxt, path + [nxt])
    for start in sorted(graph):
        walk(start, [start])
    return found


if __name__ == "__main__":
    graph = edges(modules())
    found = cycles(graph)
    for c in found:
        print(" -> ".join(c))
    print(f"{len(found)} cycles among {len(graph)} modules")
    sys.exit(1 if found else 0)
