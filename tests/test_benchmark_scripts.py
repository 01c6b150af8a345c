"""The benchmark scripts the README quotes figures from still import.

A module split once moved a function a script imported, and the script
failed only when someone ran it to check a figure; importing each script
(without running it) catches that with the rest of the suite.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(
    path
    for path in BENCHMARKS.glob("*.py")
    if path.name != "conftest.py" and not path.name.startswith("bench_")
)


def test_there_are_scripts_to_check() -> None:
    assert {"copies_eval.py", "follow_latency.py", "relevance.py"} <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_benchmark_script_imports(script: Path) -> None:
    spec = importlib.util.spec_from_file_location(f"_benchmark_{script.stem}", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
        del sys.modules[spec.name]
    if "__main__" in script.read_text(encoding="utf-8"):
        assert callable(getattr(module, "main", None)), f"{script.name} runs but has no main()"
