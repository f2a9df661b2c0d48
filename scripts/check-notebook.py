#!/usr/bin/env python3
"""Checks an executed notebook: no error outputs, no panic / 'exit status N' in stderr, and
every cell tagged to produce a figure did (an image output). GoNB reports a panicking cell
as "ok", so this is the only place such a failure shows."""
import json, re, sys

BAD = [re.compile(p) for p in (r"panic:", r"exit status \d+", r"goroutine \d+ \[", r"^Error:", r"cannot compile")]

def main(path):
    nb = json.load(open(path))
    problems = []
    figures = 0
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        images = 0
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {i}: error {out.get('ename')}: {out.get('evalue')}")
            text = "".join(out.get("text", [])) if out.get("output_type") == "stream" else ""
            for pat in BAD:
                for line in text.splitlines():
                    if pat.search(line):
                        problems.append(f"cell {i}: {line.strip()[:200]}")
            data = out.get("data", {})
            if any(k.startswith("image/") for k in data) or "<img" in "".join(data.get("text/html", [])) or "<svg" in "".join(data.get("text/html", [])):
                images += 1
        figures += images
        if "figure" in tags and images == 0:
            problems.append(f"cell {i}: tagged 'figure' but produced no image")
    if figures == 0:
        problems.append("the notebook produced no figure at all")
    for p in problems:
        print(f"{path}: {p}")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(max(main(p) for p in sys.argv[1:]))
