#!/usr/bin/env python3
"""Render the HTML report of every example in headless Chromium and check it.

For each example: `xlic build --emit html` writes one self-contained page; Chromium
prints its DOM and takes a screenshot. The check fails when Chromium fails, when the
page logs anything to the console, when the page names any network resource, when the
timeline SVG is missing or unsized, or when the screenshot is blank. The screenshot of
the first example is kept as docs/report-screenshot.png when --keep is given.

Two checks run inside the page (a copy of it with a measuring script appended, read
back with --dump-dom):

- layout: at 1280 px, and with the print stylesheet applied at the printable width of
  an A4 page (178 mm, 673 px), nothing is wider than the page or than the box that
  holds it, and no table, figure or table-wrap needs a scrollbar: nothing is cut off.
- contrast: every visible piece of text has a WCAG 2 contrast ratio of at least 4.5:1
  with the background it sits on (the nearest background colour, or every colour of a
  background gradient; SVG text also against the timeline's row stripe).

A PDF of every page is printed too (--print-to-pdf) and must exist; with --out DIR the
screenshots, print-layout screenshots and PDFs are kept in DIR to look at.

The portfolio report (`xlic report --format html`) of the test portfolio in
tests/report/ is checked the same way (it has tables, not a timeline) and, with
--keep, its screenshot is kept as docs/portfolio-report-screenshot.png.

Usage: scripts/check-html.py [--keep] [--xlic PATH] [--out DIR]
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


# Appended to a copy of each page: measures what is cut off and what is hard to read,
# and writes the findings into the DOM for --dump-dom to read back.
MEASURE = r"""<script>
window.addEventListener('load', function () {
  var out = [];
  var root = document.documentElement, vw = root.clientWidth;
  if (root.scrollWidth > vw + 1) out.push('the page is ' + root.scrollWidth + ' px wide in a ' + vw + ' px window');
  function name(el) {
    var c = typeof el.className === 'string' ? el.className : (el.className && el.className.baseVal) || '';
    return el.tagName.toLowerCase() + (c ? '.' + c.trim().split(/\s+/).join('.') : '') + (el.id ? '#' + el.id : '');
  }
  document.querySelectorAll('table, figure, svg, .table-wrap, pre, img').forEach(function (el) {
    if (!el.getClientRects().length) return;
    var st = getComputedStyle(el);
    if (st.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      out.push(name(el) + ' scrolls: ' + el.scrollWidth + ' px of content in ' + el.clientWidth + ' px');
    var r = el.getBoundingClientRect();
    if (r.right > vw + 1) out.push(name(el) + ' ends at ' + Math.round(r.right) + ' px, past the page (' + vw + ' px)');
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') {
        var pr = p.getBoundingClientRect();
        if (r.right > pr.right + 1) out.push(name(el) + ' is cut off by ' + name(p));
        break;
      }
    }
  });
  function rgba(c) {
    var m = /rgba?\(([^)]+)\)/.exec(c); if (!m) return null;
    var v = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  }
  function lum(c) {
    var f = function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function ratio(a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  function backgrounds(el) {
    for (; el && el.nodeType === 1; el = el.parentElement) {
      var st = getComputedStyle(el), found = [];
      if (st.backgroundImage && st.backgroundImage !== 'none') {
        (st.backgroundImage.match(/rgba?\([^)]+\)/g) || []).forEach(function (c) { var v = rgba(c); if (v && v[3] > 0) found.push(v); });
      }
      var bg = rgba(st.backgroundColor);
      if (bg && bg[3] > 0) found.push(bg);
      if (found.length) return found;
    }
    return [[255, 255, 255, 1]];
  }
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), seen = {}, n;
  while ((n = walker.nextNode())) {
    var el = n.parentElement;
    if (!el || !n.nodeValue.trim() || !el.getClientRects().length) continue;
    if (el.closest('title, script, style')) continue;
    var st = getComputedStyle(el), inSvg = !!el.closest('svg');
    if (st.visibility === 'hidden' || parseFloat(st.opacity) === 0) continue;
    var fg = rgba(inSvg ? st.fill : st.color);
    if (!fg) continue;
    var bgs = backgrounds(inSvg ? el.closest('svg').parentElement : el);
    if (inSvg) bgs.push([246, 247, 249, 1]);
    bgs.forEach(function (bg) {
      var r = ratio(fg, bg);
      var key = name(el) + fg + bg;
      if (r < 4.5 && !seen[key]) {
        seen[key] = 1;
        out.push('contrast ' + r.toFixed(2) + ':1 for "' + n.nodeValue.trim().slice(0, 30) + '" in ' + name(el) +
                 ' (rgb(' + fg.slice(0, 3) + ') on rgb(' + bg.slice(0, 3) + '))');
      }
    });
  }
  var d = document.createElement('pre');
  d.id = 'xlic-measure';
  d.textContent = 'MEASURED' + JSON.stringify(out) + 'END';
  document.body.appendChild(d);
});
</script>"""

# The printable width of an A4 page with the stylesheet's 16 mm side margins, in CSS px.
PRINT_WIDTH = 673


def measure(page, profile, width, print_media):
    """Problems the measuring script finds in `page` at `width` px; with `print_media`
    the page's print rules apply (rewritten to apply on screen)."""
    html = open(page, encoding="utf-8").read()
    if print_media:
        html = html.replace("@media print {", "@media all {")
    copy = page + (".print" if print_media else ".screen") + ".measure.html"
    with open(copy, "w", encoding="utf-8") as f:
        f.write(html.replace("</body>", MEASURE + "</body>"))
    dom = run_chromium([f"--window-size={width},1600", "--dump-dom", f"file://{copy}"], profile)
    m = re.search(r"MEASURED(\[.*?\])END", dom.stdout, re.S)
    if not m:
        return [f"the measuring script did not run ({dom.stderr[-300:]})"]
    import html as h, json
    found = json.loads(h.unescape(m.group(1)))
    where = "in print" if print_media else f"at {width} px"
    return [f"{where}: {p}" for p in found]


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
    problems += measure(page, profile, 1280, False)
    problems += measure(page, profile, PRINT_WIDTH, True)
    pdf = os.path.join(out_dir, f"{name}.pdf")
    printed = run_chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", f"file://{page}"], profile)
    if printed.returncode != 0 or not os.path.exists(pdf) or os.path.getsize(pdf) < 1000:
        problems.append(f"chromium --print-to-pdf failed: {printed.stderr[-500:]}")
    print_shot = os.path.join(out_dir, f"{name}.print.png")
    printed_copy = page + ".print.measure.html"
    run_chromium([f"--screenshot={print_shot}", f"--window-size={PRINT_WIDTH},2400", f"file://{printed_copy}"], profile)
    return problems, shot


def main():
    keep = "--keep" in sys.argv
    xlic = os.path.join(ROOT, "target", "debug", "xlic")
    if "--xlic" in sys.argv:
        xlic = sys.argv[sys.argv.index("--xlic") + 1]
    examples = sorted(os.path.join(ROOT, "examples", f) for f in os.listdir(os.path.join(ROOT, "examples"))
                      if f.endswith(".xlic"))
    failed = 0
    keep_dir = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp_dir, tempfile.TemporaryDirectory() as profile:
        out_dir = keep_dir or tmp_dir
        os.makedirs(out_dir, exist_ok=True)
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
