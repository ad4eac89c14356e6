"""The text of a scanned PDF (no text layer), read by Tesseract with its Korean model: ``extract --ocr``.

Pages are rendered by PDFium (``pypdfium2``, whose wheel ships the library) in grayscale at 300 dots per
inch, never more than :data:`MAX_PIXELS` a page, and handed to the ``tesseract`` program (Debian packages
``tesseract-ocr`` and ``tesseract-ocr-kor``) one at a time on its standard input. OCR makes mistakes a
text layer never does (``1`` for ``l``, a dropped ``.`` in a date), so a document read this way is marked:
the draft says so at the top and on every value.

Bounds: at most :data:`MAX_PAGES` pages (an agreement is a few), :data:`PAGE_SECONDS` seconds of Tesseract
per page, one Tesseract thread (the machine is shared).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

from obligations.extract.source import UnreadableText

MAX_PAGES = 30
MAX_PIXELS = 40_000_000  # an A4 page at 300 dpi is 8.7 million pixels; a poster-sized page is scaled down
PAGE_SECONDS = 120
DPI = 300
LANGUAGE = "kor"
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-kor"


def tesseract() -> str:
    """The path of the ``tesseract`` program with its Korean model; :class:`UnreadableText` says what is
    missing and how to install it."""
    program = shutil.which("tesseract")
    if program is None:
        raise UnreadableText(
            f"--ocr needs the tesseract program and its Korean model, which are not installed; "
            f"on Debian or Ubuntu: {INSTALL}"
        )
    try:
        listed = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UnreadableText(f"--ocr: cannot run {program}: {error}") from None
    if LANGUAGE not in listed.stdout.split():
        raise UnreadableText(
            f"--ocr needs Tesseract's Korean model ({LANGUAGE}), which is not installed; "
            f"on Debian or Ubuntu: apt-get install tesseract-ocr-kor"
        )
    return program


def ocr_pages(raw: bytes, name: str) -> list[list[str]]:
    """The lines Tesseract reads on each page of the PDF ``raw``."""
    program = tesseract()
    return [_read(program, image, name, number) for number, image in enumerate(_page_images(raw, name), 1)]


def _page_images(raw: bytes, name: str) -> Iterator[bytes]:
    """Each page as a grayscale PGM image (the simplest format Tesseract's image library reads)."""
    import pypdfium2  # imported here: only --ocr renders pages

    try:
        document = pypdfium2.PdfDocument(raw)
    except pypdfium2.PdfiumError as error:
        raise UnreadableText(f"{name}: cannot render the PDF for OCR: {error}") from None
    try:
        if len(document) > MAX_PAGES:
            raise UnreadableText(
                f"{name}: {len(document)} pages to read by OCR, more than {MAX_PAGES}; "
                "an agreement is a few pages (is this the right file?)"
            )
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()  # in points, 72 to the inch
            scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                rows = bytes(bitmap.buffer)
                pixels = b"".join(
                    rows[row * bitmap.stride : row * bitmap.stride + bitmap.width]
                    for row in range(bitmap.height)
                )
                yield f"P5\n{bitmap.width} {bitmap.height}\n255\n".encode() + pixels
            finally:
                bitmap.close()
                page.close()
    finally:
        document.close()


def _read(program: str, image: bytes, name: str, number: int) -> list[str]:
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(DPI), "--psm", "4"],
            input=image,
            capture_output=True,
            timeout=PAGE_SECONDS,
            check=False,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired:
        raise UnreadableText(
            f"{name}: OCR of page {number} took more than {PAGE_SECONDS} s; stopped"
        ) from None
    except OSError as error:
        raise UnreadableText(f"--ocr: cannot run {program}: {error}") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise UnreadableText(
            f"{name}: tesseract failed on page {number}: {said[-1] if said else f'exit {done.returncode}'}"
        )
    return done.stdout.decode("utf-8", errors="replace").splitlines()
