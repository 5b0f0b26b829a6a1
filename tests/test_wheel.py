"""The built wheel carries the templates: `pip install .` works outside the repo."""

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import MINIMAL_STORY, REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel, built from the repo and installed (without dependencies) into a folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp / "dist").glob("storygen_stories-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(tmp / "site"),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    return wheel, tmp / "site"


def test_wheel_contains_templates(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("story.html", "macros.html", "story.css"):
        assert f"storygen/templates/{template}" in names
    assert "storygen/data/mulberry-symbols-3.6.1.zip" in names  # the Mulberry Symbols travel with it
    for part in (
        "shell.html",
        "story.html",
        "paper.js",
        "paper.css",
        "scroll.js",
        "picker.js",
        "edit.js",
    ):  # serve's pages
        assert f"storygen/data/preview/{part}" in names
    assert "storygen/locale/storygen.pot" in names and "storygen/locale/ko/LC_MESSAGES/storygen.po" in names


def test_installed_package_explains_a_rule(installed, tmp_path):
    _, site = installed
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-m", "storygen", "check", "--explain", "SOC006"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("## SOC006 absolutes")


def test_installed_package_builds_from_another_folder(installed, tmp_path):
    _, site = installed
    (tmp_path / "shop.yaml").write_text(MINIMAL_STORY)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import storygen.pages.assets as r; print(r.templates_folder())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where == str(site / "storygen" / "templates")
    mulberry = "from storygen.pictures import mulberry, symbols; print(mulberry.ZIP, symbols.find('towel').set)"
    found = subprocess.run([sys.executable, "-c", mulberry], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert found.stdout.split() == [str(site / "storygen" / "data" / "mulberry-symbols-3.6.1.zip"), "mulberry"]
    result = subprocess.run(
        [sys.executable, "-m", "storygen", "build", "shop.yaml", "-o", "out"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "shop" / "shop.pdf").read_bytes().startswith(b"%PDF")
    (tmp_path / "tienda.yaml").write_text(MINIMAL_STORY + "kind: task\nlanguage: es\n")
    spanish = subprocess.run(
        [sys.executable, "-m", "storygen", "build", "tienda.yaml", "-o", "out", "--format", "story"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert spanish.returncode == 0, spanish.stderr
    assert "Paso 1 de 2" in (tmp_path / "out" / "tienda" / "tienda.html").read_text()  # the catalogs travel too
