"""Every Make target is documented, and `make help` lists them all."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def targets() -> list[str]:
    return re.findall(r"^([a-zA-Z][\w-]*):", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE)


def test_every_target_has_a_help_comment_above_it() -> None:
    lines = MAKEFILE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^([a-zA-Z][\w-]*):", line)
        if match:
            assert lines[index - 1].startswith("## "), f"target {match[1]} has no ## help line"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_target() -> None:
    result = subprocess.run(["make", "-s", "help"], cwd=MAKEFILE.parent, capture_output=True,
                            text=True, check=True)
    assert result.stdout.startswith("Available rules:")
    listed = re.findall(r"^  (\S+)\s+\S", result.stdout, re.MULTILINE)
    assert listed == targets()
    assert {"extract", "test", "help", "clean"} <= set(listed)


def test_readme_commands_exist() -> None:
    readme = (MAKEFILE.parent / "README.md").read_text(encoding="utf-8")
    for command in re.findall(r"^make (\w+)", readme, re.MULTILINE):
        assert command in targets(), f"README shows make {command}, which the Makefile lacks"
