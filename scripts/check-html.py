#!/usr/bin/env python3
"""Render the HTML report of every example in headless Chromium and check it.

For each example: `xlic build --emit html` writes one self-contained page; Chromium
prints its DOM and takes a screenshot. The check fails when Chromium fails, when the
page logs anything to the console, when the page names any network resource, when the
timeline SVG is missing or unsized, or when the screenshot is blank. The screenshot of
the first example is kept as docs/report-screenshot.png when --keep is given.

The portfolio report (`xlic report --format html`) of the test portfolio in
tests/report/ is checked the same way (it has tables, not a timeline) and, with
--keep, its screenshot is kept as docs/portfolio-report-screenshot.png.

Usage: scripts/check-html.py [--keep] [--xlic PATH]
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic", "--hide-scrollbars",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("check-html: no Chromium found (apt-get install -y chromium)")


def run_chromium(args, profile):
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def png_info(path):
    """Width, height and the number of distinct scanline byte values of a PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    return width, height, len(set(raw[: 4_000_000]))


def check(example, xlic, out_dir, profile):
    name = os.path.splitext(os.path.basename(example))[0]
    built = subprocess.run([xlic, "build", os.path.relpath(example, ROOT), "--emit", "html", "-o", out_dir],
                           capture_output=True, text=True, cwd=ROOT)
    if built.returncode != 0:
        return [f"xlic build failed: {built.stderr.strip()}"], None
    page = os.path.join(out_dir, f"{name}.html")
    return check_page(page, name, out_dir, profile, want_svg=True)


def check_report(xlic, out_dir, profile):
    """The portfolio report of tests/report/, as of a fixed date."""
    page = os.path.join(out_dir, "portfolio.html")
    built = subprocess.run([xlic, "report", "tests/report", "--as-of", "2027-03-01", "--format", "html",
                            "-o", page], capture_output=True, text=True, cwd=ROOT)
    if built.returncode != 0:
        return [f"xlic report failed: {built.stderr.strip()}"], None
    problems, shot = check_page(page, "portfolio", out_dir, profile, want_svg=False)
    dom = run_chromium(["--dump-dom", f"file://{page}"], profile).stdout
    if dom.count("<table") < 5 or dom.count("<caption>") != dom.count("<table"):
        problems.append("the portfolio report's tables are missing or lack captions")
    return problems, shot


def check_page(page, name, out_dir, profile, want_svg):
    problems = []
    html = open(page, encoding="utf-8").read()
    for url in re.findall(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)""", html):
        problems.append(f"names a network resource: {url}")
    if re.search(r"@import|url\(\s*['\"]?https?:", html):
        problems.append("the stylesheet loads something from the network")

    dom = run_chromium(["--dump-dom", f"file://{page}"], profile)
    if dom.returncode != 0:
        problems.append(f"chromium --dump-dom failed: {dom.stderr[-500:]}")
    svgs = re.findall(r"<svg\b[^>]*>", dom.stdout)
    if want_svg and not svgs:
        problems.append("no <svg> in the rendered page")
    for tag in svgs[:1]:
        w = re.search(r'\bwidth="(\d+(?:\.\d+)?)"', tag)
        h = re.search(r'\bheight="(\d+(?:\.\d+)?)"', tag)
        if not (w and h and float(w.group(1)) > 50 and float(h.group(1)) > 20):
            problems.append(f"the timeline SVG is not sized: {tag[:200]}")
    console = [l for l in dom.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    if console:
        problems.append("console output: " + " | ".join(console[:5]))

    shot = os.path.join(out_dir, f"{name}.png")
    snap = run_chromium([f"--screenshot={shot}", "--window-size=1280,1600", f"file://{page}"], profile)
    if snap.returncode != 0 or not os.path.exists(shot):
        problems.append(f"chromium --screenshot failed: {snap.stderr[-500:]}")
        return problems, None
    width, height, distinct = png_info(shot)
    if (width, height) != (1280, 1600):
        problems.append(f"screenshot is {width}x{height}, expected 1280x1600")
    if distinct < 8:
        problems.append("the screenshot is blank")
    console = [l for l in snap.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    if console:
        problems.append("console output: " + " | ".join(console[:5]))
    return problems, shot


def main():
    keep = "--keep" in sys.argv
    xlic = os.path.join(ROOT, "target", "debug", "xlic")
    if "--xlic" in sys.argv:
        xlic = sys.argv[sys.argv.index("--xlic") + 1]
    examples = sorted(os.path.join(ROOT, "examples", f) for f in os.listdir(os.path.join(ROOT, "examples"))
                      if f.endswith(".xlic"))
    failed = 0
    with tempfile.TemporaryDirectory() as out_dir, tempfile.TemporaryDirectory() as profile:
        for i, example in enumerate(examples):
            problems, shot = check(example, xlic, out_dir, profile)
            rel = os.path.relpath(example, ROOT)
            if problems:
                failed += 1
                print(f"FAIL {rel}")
                for p in problems:
                    print(f"  - {p}")
            else:
                print(f"ok   {rel}")
            if keep and i == 0 and shot:
                shutil.copy(shot, os.path.join(ROOT, "docs", "report-screenshot.png"))
        problems, shot = check_report(xlic, out_dir, profile)
        if problems:
            failed += 1
            print("FAIL xlic report tests/report")
            for p in problems:
                print(f"  - {p}")
        else:
            print("ok   xlic report tests/report")
        if keep and shot:
            shutil.copy(shot, os.path.join(ROOT, "docs", "portfolio-report-screenshot.png"))
    print(f"{len(examples) + 1 - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
