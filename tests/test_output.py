"""Writing the output folder: never outside it."""
from __future__ import annotations

import pytest

from briefing import output
from briefing.model import BuildError


@pytest.mark.parametrize("relative", ["../escape.html", "a/../../escape.html", "/etc/passwd", "",
                                      "a//b.html", "./a.html", "C:/x.html", "..\\escape.html"])
def test_write_file_refuses_paths_outside_the_output(tmp_path, relative):
    root = tmp_path / "out"
    root.mkdir()
    with pytest.raises(BuildError, match="outside the output folder"):
        output.write_file(root, relative, b"x")
    assert list(tmp_path.rglob("*.html")) == []


def test_write_file_makes_folders(tmp_path):
    output.write_file(tmp_path, "articles/a-b/index.html", b"<p>x</p>")
    assert (tmp_path / "articles" / "a-b" / "index.html").read_bytes() == b"<p>x</p>"
