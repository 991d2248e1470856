"""Keeps what nbval executes: each notebook with its outputs, in ``executed/`` (git-ignored).

The course site (``python -m tlcourse site``, ``tests/test_site.py``) is built from these
copies, so the suite's one run of every notebook also gives the site its outputs; the site's
test runs after the notebooks.
"""

import json

from nbval.plugin import IPyNbCell

from tlcourse.maintainer.site import EXECUTED


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.get_closest_marker("site") is not None)


def shown_outputs(source: str, outputs: list) -> list:
    """The outputs Jupyter shows for a cell nbval ran: nbval runs cells outside the kernel's
    history, where IPython's trailing ``;`` does not hide the last value, so a figure returned
    by the last line would be kept twice (its value, and the figure the inline backend shows)."""
    if source.rstrip().endswith(";"):
        return [output for output in outputs if output["output_type"] != "execute_result"]
    return outputs


def pytest_runtest_makereport(item, call):
    if call.when == "call" and isinstance(item, IPyNbCell) and item.test_outputs is not None:
        # what the cell printed and displayed, as run
        item.cell.outputs = shown_outputs(item.cell.source, item.test_outputs)


def pytest_runtest_teardown(item, nextitem):
    last_cell = nextitem is None or nextitem.parent is not item.parent
    if isinstance(item, IPyNbCell) and last_cell:
        EXECUTED.mkdir(exist_ok=True)
        notebook = json.dumps(item.parent.nb, indent=1, ensure_ascii=False)
        (EXECUTED / item.parent.path.name).write_text(notebook + "\n")
