#!/usr/bin/env python3
"""Opens a generated HTML report in headless Chromium and checks what it rendered.

The report carries a small inline script that, after layout, measures its SVG elements and
writes a summary into <pre id="render-check">. This test reads that summary back from the DOM
Chromium dumps (--dump-dom), compares it with the run's own JSON, and takes a screenshot that
must be a PNG of the window's size that is not blank.

Exit codes: 0 passed, 1 failed, 77 skipped because Chromium is not installed (unless
LYNCUPDATE_REQUIRE_BROWSER is set, as CI does: then its absence fails).
"""

import argparse
import hashlib
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib

SKIP = 77
WIDTH, HEIGHT = 1280, 2400


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def run(args, expect=(0,)):
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if done.returncode not in expect:
        fail(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def chromium(browser, profile, *args):
    # A profile of its own, so that parallel tests and the user's browser never meet.
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
            f"--window-size={WIDTH},{HEIGHT}", *args]


def render_check(dom):
    found = re.search(r'<pre id="render-check"[^>]*>(.*?)</pre>', dom, re.S)
    if not found:
        fail("no <pre id=\"render-check\"> in the dumped DOM")
    text = html.unescape(found.group(1))
    if "=" not in text:
        return None  # the page's load handler had not run when the DOM was dumped
    return dict(line.split("=", 1) for line in text.strip().splitlines())


def png_pixels(data):
    """Width, height and rows of pixels (tuples of bytes) of an 8-bit RGB or RGBA PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("the screenshot is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        fail(f"unexpected PNG format: depth {depth}, colour type {colour}, interlace {interlace}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def journal_overlay(lyncupdate, browser, profile, work):
    """A live journal of contoso's back end: its attempts drawn as thin bars in Chromium."""
    exported = subprocess.run([lyncupdate, "export", "contoso"], capture_output=True,
                              timeout=60, check=True).stdout
    lines = [{"journal": "lyncupdate/journal/1", "scenario": "contoso",
              "scenario_sha256": hashlib.sha256(exported).hexdigest(),
              "tool": "lyncupdate 0.1.0", "transport": "ssh",
              "started_utc": "2026-11-26T22:00:00Z"}]
    at, server = 0, "sql01.contoso.com"
    steps = [("log-on", 60_000), ("extract-update", 300_000), ("open-shell", 30_000),
             ("stop-services", 60_000), ("stop-w3svc", 30_000), ("close-shells", 30_000),
             ("install-update", 840_000)]
    for step, duration in steps:
        key = {"server": server, "step": step, "attempt": 1}
        lines.append({"record": "intent", **key, "kind": "command", "host": server,
                      "argv": [], "at_ms": at})
        at += duration
        lines.append({"record": "outcome", **key, "outcome": "succeeded", "exit_code": 0,
                      "duration_ms": duration, "at_ms": at, "output_tail": ""})
    journal = os.path.join(work, "contoso.journal")
    with open(journal, "w") as f:
        f.writelines(json.dumps(line) + "\n" for line in lines)
    report = os.path.join(work, "reality.html")
    run([lyncupdate, "report", "contoso", "--journal", journal, "-o", report], expect=(0, 1))
    dom = run(chromium(browser, profile, "--virtual-time-budget=10000", "--dump-dom",
                       f"file://{report}"))
    check = render_check(dom)
    if check is None:
        fail("the render check of the report with a journal did not run in Chromium")
    for key in ("actual_bars", "actual_bars_shown"):
        if check.get(key) != str(len(steps)):
            fail(f"with a journal, {key}: expected {len(steps)}, the browser measured "
                 f"{check.get(key)}")
    # The rehearsal's outage chart and the live run's, each with its limit line.
    if check.get("limit_lines_shown") != "2":
        fail(f"with a journal, limit_lines_shown: expected 2, got {check.get('limit_lines_shown')}")
    print(f"journal overlay: {check.get('actual_bars')} live bars drawn")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lyncupdate", required=True)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--scenario", default="enterprise")
    parser.add_argument("--runs", default="200")
    parser.add_argument("--seed", default="3")
    options = parser.parse_args()

    browser = find_chromium()
    if browser is None:
        # CI installs Chromium (./setup.sh test) and sets this, so the test never skips there.
        if os.environ.get("LYNCUPDATE_REQUIRE_BROWSER"):
            fail("chromium is not installed and LYNCUPDATE_REQUIRE_BROWSER is set")
        print("SKIP: chromium is not installed (apt-get install chromium)")
        return SKIP

    work = os.path.abspath(options.work_dir)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    report = os.path.join(work, "report.html")
    profile = os.path.join(work, "profile")

    # What the report must show, from the JSON of the same rehearsal.
    run_doc = json.loads(run([options.lyncupdate, "simulate", options.scenario, "--seed",
                              options.seed, "--json"], expect=(0, 1)))
    attempts = sum(step["attempts"] for server in run_doc["servers"] for step in server["steps"])
    servers = len(run_doc["servers"])
    run([options.lyncupdate, "report", options.scenario, "--seed", options.seed, "--runs",
         options.runs, "-o", report], expect=(0, 1))

    started = time.monotonic()
    dom = run(chromium(browser, profile, "--dump-dom", f"file://{report}"))
    wall = time.monotonic() - started
    check = render_check(dom)
    if check is None:
        # Once more, letting the page run for up to 10 s of virtual time before the dump.
        dom = run(chromium(browser, profile, "--virtual-time-budget=10000", "--dump-dom",
                           f"file://{report}"))
        check = render_check(dom)
        if check is None:
            fail("the report's render check did not run in Chromium")
    print(f"render check: {check}")
    print(f"chromium --dump-dom wall time: {wall:.2f}s; in-page render time: "
          f"{check.get('render_ms')} ms")

    def expect(key, value):
        if check.get(key) != str(value):
            fail(f"{key}: expected {value}, the browser measured {check.get(key)}")

    expect("timeline_bars", attempts)
    expect("timeline_bars_shown", attempts)
    # The outage chart of the rehearsal, then one outage histogram per server.
    expect("limit_lines", 1 + servers)
    expect("limit_lines_shown", 1 + servers)
    # The window length, each server's longest outage, and the users affected per run.
    expect("histograms", 2 + servers)
    expect("histogram_bins", ",".join(["40"] * (2 + servers)))
    expect("histogram_bins_shown", ",".join(["40"] * (2 + servers)))
    expect("charts_shown", check.get("charts"))
    if int(check.get("charts", "0")) < 4 + servers:
        fail(f"expected at least {4 + servers} charts, got {check.get('charts')}")

    screenshot = os.path.join(work, "report.png")
    run(chromium(browser, profile, f"--screenshot={screenshot}", f"file://{report}"))
    with open(screenshot, "rb") as f:
        width, height, bpp, rows = png_pixels(f.read())
    if (width, height) != (WIDTH, HEIGHT):
        fail(f"the screenshot is {width}x{height}, expected {WIDTH}x{HEIGHT}")
    colours, painted = set(), 0
    for row in rows[::4]:
        for x in range(0, width * bpp, bpp * 4):
            pixel = row[x:x + 3]
            colours.add(pixel)
            painted += pixel != b"\xff\xff\xff"
    sampled = (height // 4) * (width // 4)
    if len(colours) < 8 or painted < sampled // 50:
        fail(f"the screenshot looks blank: {len(colours)} colours, {painted} of {sampled} "
             "sampled pixels not white")
    print(f"screenshot {width}x{height}: {len(colours)} colours, "
          f"{100 * painted / sampled:.1f}% painted")
    journal_overlay(options.lyncupdate, browser, profile, work)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
