#!/usr/bin/env python3
"""Adds to goethectl's generated man pages what swift-argument-parser's generate-manual cannot:
the real EXIT STATUS (it writes only "0 on success, and >0 if an error occurs"), ENVIRONMENT on
goethectl(1), and EXAMPLES from scripts/manual/examples/PAGE.mdoc.

    scripts/add-manual-sections.py MAN_DIRECTORY
"""

import re
import sys
from pathlib import Path

MANUAL = Path(__file__).resolve().parent / "manual"
# The last section of a page without subcommands, which then ends without a line break.
GENERIC_EXIT = re.compile(r'^\.Sh "EXIT STATUS"\n\.Ex -std(\n|\Z)', re.MULTILINE)


def sections(page):
    """The page's text from its EXIT STATUS on, in mdoc's order of sections."""
    text = ""
    if page == "goethectl":
        text += ".Sh ENVIRONMENT\n" + (MANUAL / "environment.mdoc").read_text()
    text += '.Sh "EXIT STATUS"\n' + (MANUAL / "exit-status.mdoc").read_text()
    examples = MANUAL / "examples" / f"{page}.mdoc"
    if examples.exists():
        text += ".Sh EXAMPLES\n" + examples.read_text()
    return text


def main(directory):
    for path in sorted(Path(directory).glob("goethectl*.1")):
        text, replaced = GENERIC_EXIT.subn(lambda _: sections(path.stem), path.read_text(), count=1)
        if not replaced:
            sys.exit(f"{path}: no generic EXIT STATUS section to replace; has generate-manual changed?")
        path.write_text(text)


if __name__ == "__main__":
    main(sys.argv[1])
