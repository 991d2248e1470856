"""The course site: front page, notebook pages with their outputs, links between pages.

The slow test builds the site from the notebooks this test run executed (``conftest.py`` keeps
them in ``executed/``; the ``site`` marker runs it after them) and opens two pages in headless
Chromium; its screenshots land in ``executed/site/``.
"""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tlcourse.maintainer import repository, site

FIGURE_PAGE = "03_feature_extraction"  # a notebook page that must show plots


def test_front_page_links_each_notebook_of_the_course_map_to_its_page():
    readme = ("# Course\n\nIntro.\n\n## Quickstart\n\nnot on the front page\n\n"
              "## Course map\n\n| notebook | topic |\n|---|---|\n"
              "| 00_start_here | setup |\n| 03_feature_extraction | frozen features |\n\n"
              "## Expected results\n\nnot on the front page either\n")
    page = site.front_page(readme)
    assert page.startswith("# Course\n\nIntro.\n\n## Course map\n")
    assert "| [00_start_here](notebooks/00_start_here.ipynb) | setup |" in page
    assert "| [03_feature_extraction](notebooks/03_feature_extraction.ipynb) |" in page
    assert "not on the front page" not in page


def test_publishable_drops_widget_outputs():
    bar = {"output_type": "display_data", "metadata": {},
           "data": {site.WIDGET_VIEW: {"model_id": "x"}, "text/plain": "  0%|  | 0/6"}}
    figure = {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR"}}
    notebook = {"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
        {"cell_type": "code", "metadata": {}, "source": "fit()", "execution_count": 1,
         "outputs": [bar, figure]}]}
    published = site.publishable(notebook)
    assert published["cells"][1]["outputs"] == [figure]


FIGURE_CELLS = [  # how the notebooks draw: a plots call ending in ";", two in a cell, plt.show()
    "import matplotlib.pyplot as plt\nfrom tlcourse import plots",
    "plots.bars({'a': 1, 'b': 2}, 'x');",
    "plots.bars({'a': 1}, 'x');\nplots.bars({'b': 2}, 'y');",
    "print('before')\nplots.bars({'a': 1}, 'x');\nprint('after')",
    "figure = plots.bars({'a': 1}, 'x')\nplt.show()",
    "plots.bars({'a': 1}, 'x')",
]


def figures_per_cell(notebook) -> list[int]:
    return [sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
            for cell in notebook["cells"]]


@pytest.mark.slow
def test_the_kept_executed_copy_shows_each_figure_as_often_as_jupyter_does(tmp_path):
    import subprocess
    import sys

    import nbclient
    import nbformat

    probe = tmp_path / "figure_probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)
                                                   for source in FIGURE_CELLS]), probe)
    kept = site.EXECUTED / probe.name
    try:
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "conftest", "--nbval-lax",
                        "-p", "no:cacheprovider", str(probe)], cwd=repository.ROOT, check=True,
                       capture_output=True)
        by_nbval = figures_per_cell(json.loads(kept.read_text()))
    finally:
        kept.unlink(missing_ok=True)
    by_jupyter = figures_per_cell(nbclient.execute(nbformat.read(probe, as_version=4)))
    assert by_nbval == by_jupyter == [0, 1, 2, 1, 1, 2]


def test_missing_executed_notebooks_are_named_with_the_command_that_makes_them(tmp_path):
    (tmp_path / "00_start_here.ipynb").write_text("{}")
    with pytest.raises(site.MissingNotebooks) as error:
        site.executed_notebooks(tmp_path)
    message = str(error.value)
    assert "01_what_is_transfer_learning.ipynb" in message
    assert "00_start_here.ipynb," not in message
    assert "python -m tlcourse run" in message


class PageLinks(HTMLParser):
    """Local ``href``/``src`` targets of one HTML page, and whether it shows a traceback."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.tracebacks = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        target = attributes.get("href") if tag == "a" else attributes.get("src")
        if target and not urlsplit(target).scheme and not target.startswith("#"):
            self.targets.append(urlsplit(target).path)
        if "traceback" in (attributes.get("class") or "").split():
            self.tracebacks += 1


def local_links(html: Path) -> tuple[int, list[str], dict[str, int]]:
    """Links checked, links to missing files, and error outputs per page of the built site."""
    checked, broken, tracebacks = 0, [], {}
    for page in html.rglob("*.html"):
        if "_static" in page.relative_to(html).parts:
            continue  # the theme's template snippets, not pages
        links = PageLinks()
        links.feed(page.read_text())
        checked += len(links.targets)
        broken += [f"{page.relative_to(html)} → {target}" for target in links.targets
                   if target and not (page.parent / target).exists()]
        if links.tracebacks:
            tracebacks[str(page.relative_to(html))] = links.tracebacks
    return checked, broken, tracebacks


def notebook_title(name: str) -> str:
    notebook = json.loads((repository.ROOT / "notebooks" / f"{name}.ipynb").read_text())
    return "".join(notebook["cells"][0]["source"]).splitlines()[0].removeprefix("# ")


def executed_or_skip() -> None:
    """Skip without executed notebooks, except in CI, where the notebooks ran before."""
    try:
        site.executed_notebooks()
    except site.MissingNotebooks as error:
        if os.environ.get("CI"):
            pytest.fail(str(error))
        pytest.skip(str(error))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.site
def test_site_shows_the_executed_notebooks_and_links_them(chromium):
    from playwright.sync_api import expect

    executed_or_skip()
    html = site.build()
    checked, broken, tracebacks = local_links(html)
    assert not broken, f"links to missing files: {broken[:10]}"
    assert not tracebacks, f"pages showing an error output: {tracebacks}"
    figures_in_notebook = sum(
        "image/png" in output.get("data", {})
        for cell in json.loads((site.EXECUTED / f"{FIGURE_PAGE}.ipynb").read_text())["cells"]
        for output in cell.get("outputs", []))
    assert figures_in_notebook >= 2, f"{FIGURE_PAGE} ran without drawing its figures"

    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto((html / "index.html").as_uri())
    expect(page.get_by_role("heading", name="Transfer learning, hands on", exact=True)
           ).to_be_visible()
    titles = [notebook_title(path.stem) for path in repository.notebook_paths()]
    navigation = page.locator("nav.bd-docs-nav a.reference.internal").all_inner_texts()
    # Sphinx typesets apostrophes as ’
    assert [" ".join(text.split()).replace("’", "'") for text in navigation] == [
        "Transfer learning, hands on", *titles]
    page.screenshot(path=str(site.SITE / "index.png"))
    # Front page → notebook 00 (course map) → notebook 03 (00's own course map)
    page.locator("article").get_by_role("link", name="00_start_here", exact=True).click()
    expect(page).to_have_url(re.compile(r"/notebooks/00_start_here\.html$"))
    page.locator("article").get_by_role("link", name=FIGURE_PAGE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/notebooks/{FIGURE_PAGE}\.html$"))
    expect(page.locator("article h1")).to_contain_text(notebook_title(FIGURE_PAGE))

    figures = page.locator("article .cell_output img")
    expect(figures).to_have_count(figures_in_notebook)
    for figure in figures.all():
        figure.scroll_into_view_if_needed()
        assert figure.evaluate("image => image.complete && image.naturalWidth > 100")
    assert page.locator("article .traceback").count() == 0
    figures.first.scroll_into_view_if_needed()
    screenshot = site.SITE / f"{FIGURE_PAGE}.png"
    page.screenshot(path=str(screenshot))
    print(f"{checked} local links checked; screenshots: {site.SITE / 'index.png'}, {screenshot}; "
          f"{FIGURE_PAGE} shows {figures_in_notebook} figures; the navigation lists the front "
          f"page and {len(titles)} notebooks")
