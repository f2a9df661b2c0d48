#!/usr/bin/env python3
"""Regenerates notebooks/*.ipynb from the sources in this folder (keeping the outputs of cells at
the same position), or with --check, fails when a committed notebook differs from its source.

  python3 notebooks/src/build.py [--check] [NAME ...]   (NAME: e.g. 02_gan_training_dynamics)"""
import importlib, os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import ipynb
args = sys.argv[1:]
check = "--check" in args
args = [a for a in args if a != "--check"]
names = args or sorted(f[:-3] for f in os.listdir(here) if f[0].isdigit() and f.endswith(".py"))
problems = []
for name in names:
    mod = importlib.import_module(name)
    path = os.path.normpath(os.path.join(here, "..", name.replace("_", "-") + ".ipynb"))
    if check:
        problems += ipynb.differences(path, mod.CELLS)
    else:
        ipynb.write(path, mod.CELLS)
        print("wrote", path)
if problems:
    print("notebooks differ from their sources (python3 notebooks/src/build.py, then rerun them):", *problems, sep="\n  ")
    sys.exit(1)
if check:
    print(f"notebooks: {len(names)} match their sources")
