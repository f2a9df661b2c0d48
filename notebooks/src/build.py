#!/usr/bin/env python3
"""Regenerates notebooks/*.ipynb (without outputs) from the sources in this folder."""
import importlib, os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import nbformat
names = sys.argv[1:] or sorted(f[:-3] for f in os.listdir(here) if f[0].isdigit() and f.endswith(".py"))
for name in names:
    mod = importlib.import_module(name)
    path = os.path.join(here, "..", name.replace("_", "-") + ".ipynb")
    nbformat.write(path, mod.CELLS)
    print("wrote", os.path.normpath(path))
