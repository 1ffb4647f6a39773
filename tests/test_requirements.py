"""requirements.txt states what was tested, and the installed packages are inside it."""

import re
from importlib.metadata import version

from conftest import ROOT


def requirement(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if re.match(rf"{re.escape(name)}\s*[<>=!~]", line.strip()):
            return line.split("#", 1)[0].strip()
    raise AssertionError(f"{name} is not in requirements.txt")


def release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


def test_scikit_learn_is_at_least_1_6():
    # GroupKFold(shuffle=True) arrived in scikit-learn 1.6.
    assert requirement("scikit-learn") == "scikit-learn>=1.6"


def test_installed_pandas_is_inside_the_stated_range():
    spec = requirement("pandas")
    low = re.search(r">=\s*([\d.]+)", spec)
    high = re.search(r"<\s*([\d.]+)", spec)
    assert low and high, f"pandas needs a lower and an upper bound: {spec}"
    assert release(low.group(1)) <= release(version("pandas")) < release(high.group(1))


def test_torch_comment_says_what_the_pin_installs():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pin = next(i for i, line in enumerate(lines) if line.startswith("torch=="))
    comment = []
    for line in reversed(lines[:pin]):
        if not line.startswith("#"):
            break
        comment.append(line)
    assert "2.13.0+cpu" in " ".join(comment) + lines[pin]


def test_installed_python_docx_is_inside_the_stated_range():
    # Word exports from Nexis Uni are read with python-docx (issue 14).
    spec = requirement("python-docx")
    low, high = re.search(r">=\s*([\d.]+)", spec), re.search(r"<\s*([\d.]+)", spec)
    assert low and high, f"python-docx needs a lower and an upper bound: {spec}"
    assert release(low.group(1)) <= release(version("python-docx")) < release(high.group(1))
