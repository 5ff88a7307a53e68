"""The shipped man pages: the real exit codes, the environment, and examples set apart from the text."""

import re
import unittest

from support import REPO_ROOT

MAN = REPO_ROOT / "man"
CODES = [int(code) for code in re.findall(r"case \w+ = (\d+)", (REPO_ROOT / "Sources/goethectl/Output/ExitStatus.swift").read_text())]


def section(page, title):
    """The mdoc source of one section of a page."""
    text = (MAN / page).read_text()
    match = re.search(rf'^\.Sh "?{title}"?\n(.*?)(?=^\.Sh |\Z)', text, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else None


class ManualTests(unittest.TestCase):
    def test_every_page_lists_the_real_exit_codes(self):
        self.assertIn(4, CODES)
        for path in sorted(MAN.glob("goethectl*.1")):
            with self.subTest(page=path.name):
                exit_status = section(path.name, "EXIT STATUS")
                self.assertIsNotNone(exit_status)
                self.assertNotIn(".Ex -std", exit_status)
                self.assertEqual([int(code) for code in re.findall(r"^\.It (\d+)$", exit_status, re.MULTILINE)], CODES)

    def test_environment(self):
        environment = section("goethectl.1", "ENVIRONMENT")
        for name in ("GOETHE_SERVER", "NO_COLOR", "XDG_STATE_HOME", "goethe/history"):
            self.assertIn(name, environment)

    def test_examples_are_literal_blocks_not_paragraph_text(self):
        for page in ("goethectl.1", "goethectl.produce.1", "goethectl.replay.1", "goethectl.cursor.set.1"):
            with self.subTest(page=page):
                self.assertIn(".Bd -literal", section(page, "EXAMPLES"))
        self.assertIn("tail -F app.log | goethectl produce logs", section("goethectl.produce.1", "EXAMPLES"))
        self.assertNotIn("goethectl produce logs", section("goethectl.produce.1", "DESCRIPTION"))


if __name__ == "__main__":
    unittest.main()
