"""Render the bundled registry's HTML report in a real browser (headless Chromium) and fail when the page
is blank or the browser reports an error. Called by .ci/run; installs Debian's chromium (and a font with
Korean glyphs, fonts-noto-cjk) when either is missing — CI runs as root. The tests that print the report
and measure its timeline labels find the browser through :func:`browser` too.

    python .ci/browser_check.py [--keep docs/report.png] [--install-only]

--keep writes the screenshot, reduced to a small palette PNG, for the README.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

AS_OF = "2025-11-01"  # a day on which the bundled registry shows a notice window, dues and renewals
WINDOW = (1000, 2000)
# Chromium's own environment noise in a container (no D-Bus session, no GPU) is not the page's fault.
NOISE = re.compile(r"dbus|D-Bus|gpu|GPU|Fontconfig|sandbox|crashpad|ALSA|zygote", re.IGNORECASE)
PAGE_ERRORS = re.compile(r"CONSOLE|Uncaught|net::ERR_|Failed to load|blocked", re.IGNORECASE)


def browser() -> str:
    """Chromium, and a font with Korean glyphs for it: each installed with apt-get when missing."""
    missing = [package for package, present in (("chromium", _chromium()), ("fonts-noto-cjk", _korean_font()))
               if not present]  # fmt: skip
    if missing:
        print(f"browser-check: installing {' '.join(missing)} (apt-get)", flush=True)
        env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    found = _chromium()
    if not found:
        sys.exit("browser-check: chromium is still missing after apt-get install")
    if not _korean_font():
        sys.exit("browser-check: no font with Korean glyphs after apt-get install fonts-noto-cjk")
    return found


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _korean_font() -> bool:
    """Whether fontconfig knows a font that covers Korean (without one, Hangul renders as boxes)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=ko", "family"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())


def render(chromium: str, page: Path, shot: Path) -> list[str]:
    """Screenshot ``page``; the browser's error lines about the page."""
    result = subprocess.run(
        [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0", f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--screenshot={shot}", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    lines = (result.stdout + result.stderr).splitlines()
    errors = [line for line in lines if PAGE_ERRORS.search(line) and not NOISE.search(line)]
    if result.returncode != 0:
        errors.append(f"chromium exited {result.returncode}")
    if not shot.exists():
        errors.append("no screenshot written")
    return errors


def blank(shot: Path) -> str:
    """Why the screenshot looks blank, or ``""``: too few colours or almost no ink on the page."""
    from PIL import Image  # a test extra: --install-only runs before the extras are installed

    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16)
        distinct = len(colours) if colours is not None else 1 << 16
        grey = rgb.convert("L")
        histogram = grey.histogram()
        ink = sum(histogram[:200]) / (grey.width * grey.height)
    if distinct < 32:
        return f"only {distinct} colours"
    if ink < 0.02:
        return f"only {ink:.1%} of the page is drawn"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="save the screenshot here (small palette PNG)")
    parser.add_argument("--install-only", action="store_true", help="install what is missing, render nothing")
    args = parser.parse_args()
    chromium = browser()
    if args.install_only:
        print(f"browser-check: {chromium} and a Korean font are installed")
        return 0
    obligations = Path(sys.executable).with_name("obligations")
    with tempfile.TemporaryDirectory() as folder:
        page, shot = Path(folder) / "report.html", Path(folder) / "report.png"
        subprocess.run(
            [str(obligations), "report", "--as-of", AS_OF, "--output", str(page)], check=True, cwd=folder
        )
        errors = render(chromium, page, shot)
        reason = blank(shot) if shot.exists() else ""
        if errors or reason:
            for line in errors:
                print(f"browser-check: {line}", file=sys.stderr)
            if reason:
                print(f"browser-check: the rendered report looks blank: {reason}", file=sys.stderr)
            return 1
        if args.keep:
            from PIL import Image

            with Image.open(shot) as image:
                image.convert("RGB").quantize(colors=64).save(args.keep, optimize=True)
        print(f"browser-check: {page.name} rendered by {chromium}: not blank, no browser errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
