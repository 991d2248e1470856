"""Graded assignments: ``exercises.grade``, the nbgrader course folder, and nbgrader itself
(generate_assignment, autograde, generate_feedback, export, the formgrader in Chromium) run
on three fake submissions per assignment."""

from __future__ import annotations

import csv
import dataclasses
import html
import logging
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from tlcourse import exercises
from tlcourse.maintainer import nbgrader as grading
from tlcourse.maintainer.repository import NOTEBOOKS, SOLUTIONS

# Cheap notebooks (their checkers take about a second each), three kinds of exercise: a
# diagnosis and a prediction, word vectors, a distribution strategy.
GRADED = ("04_fine_tuning", "06_word_embeddings", "10_many_devices")
# A typical wrong answer per assignment, from the exercise tests, and what its checker says.
WRONG = {
    # tests/test_exercises_nb04.py: a prediction that the patience never runs out
    "04_fine_tuning": ("04.early_stopping", "Training does not stop after epoch 10.", '''
answer = {"stops_after": 10, "model_holds": 10, "file_holds": 10}'''),
    # tests/test_exercises_nb06.py, test_06_similarity_with_pearson
    "06_word_embeddings": ("06.word_similarity", "That is the Pearson correlation", '''
from scipy import stats


def my_word_similarity(vectors, path):
    known = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#") and line.strip():
                first, second, score = line.lower().split("\\t")[:3]
                if first in vectors.key_to_index and second in vectors.key_to_index:
                    known.append((vectors.similarity(first, second), float(score)))
    return stats.pearsonr(*zip(*known))[0]


answer = my_word_similarity'''),
    # tests/test_exercises_nb10.py, outside_scope: the model built outside strategy.scope()
    "10_many_devices": ("10.build_replicated", "built the model outside strategy.scope()", '''
def my_build_replicated(strategy, build):
    return build()


answer = my_build_replicated'''),
}
STUDENTS = ("solutions", "stubs", "wrong")


# --- exercises.grade --------------------------------------------------------------------------

@pytest.fixture
def noisy_exercise(monkeypatch):
    """Exercise 'test.double': write double(x). Its checker warns, logs and writes to stderr
    from Python and from the file descriptor, as TensorFlow does, before it judges."""
    exercises._load_all()
    monkeypatch.setattr(exercises, "REGISTRY", dict(exercises.REGISTRY))

    @exercises.behaviour("test.double", "Write double(x).", "Multiply by two.")
    def double_behaves(double):
        warnings.warn("a warning in the checker")
        logging.getLogger("tensorflow").warning("a log record")
        sys.stderr.write("Python's stderr\n")
        os.write(2, b"C++ stderr\n")
        return None if double(21) == 42 else f"double(21) returned {double(21)!r}, not 42."
    return "test.double"


def test_grade_prints_a_tick_and_nothing_on_stderr_for_a_right_answer(noisy_exercise, capfd):
    exercises.grade(noisy_exercise, lambda x: 2 * x)
    out, err = capfd.readouterr()
    assert out == "✔ Exercise test.double: correct.\n"
    assert err == ""  # nbgrader would give a cell with stderr output no points


@pytest.mark.parametrize("answer, problem", [
    (lambda x: x + 2, "double(21) returned 23, not 42."),
    (lambda x: 1 / 0, "checking your answer raised ZeroDivisionError: division by zero"),
], ids=["wrong", "raises"])
def test_grade_raises_the_problem_and_the_hint(noisy_exercise, capfd, answer, problem):
    with pytest.raises(AssertionError) as raised:
        exercises.grade(noisy_exercise, answer)
    assert problem in str(raised.value)
    assert str(raised.value).endswith("\nHint: Multiply by two.")
    assert capfd.readouterr().err == ""


def test_grade_of_no_answer_repeats_the_question_without_a_hint(noisy_exercise):
    with pytest.raises(AssertionError) as raised:
        exercises.grade(noisy_exercise, None)
    assert str(raised.value) == ("Exercise test.double: not answered yet (answer is None). "
                                 "Write double(x).")


def test_grade_compares_values_as_check_does(capsys):
    exercises.grade("09.class_order", ["Zebra", "apple", "mango"])
    assert "correct" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="is wrong.\nHint: "):
        exercises.grade("09.class_order", ["apple", "mango", "Zebra"])


# --- the course folder, without nbgrader --------------------------------------------------------

def test_a_solution_carries_the_definitions_and_imports_it_uses():
    answers = grading.solution_answers(SOLUTIONS / "02_scratch_cnn_overfits.py")
    gap = answers["02.gap"]
    assert gap.expression == "gap_cnn" and gap.writes_code
    assert gap.code.startswith("import keras\nfrom keras import layers\n\n\ndef build_cnn(")
    assert "def gap_cnn(image_size):" in gap.code
    assert "def gap_cnn" not in answers["02.build_cnn"].code  # only what the answer uses
    value = grading.solution_answers(SOLUTIONS / "01_what_is_transfer_learning.py")
    assert value["01.vgg_vs_mobilenet"].setting("answer").endswith(
        "\n\n\nanswer = vgg_vs_mobilenet()")
    assert "def classify" not in value["01.vgg_vs_mobilenet"].code


def test_the_exercise_cells_become_stubs_and_the_setup_imports_what_they_use():
    assignment = grading.load_assignment(NOTEBOOKS / "05_how_much_data.ipynb",
                                         SOLUTIONS)
    assert [exercise.key for exercise in assignment.exercises] == [
        "05.balanced_subset", "05.curve_point", "05.features_or_scratch"]
    stub = assignment.exercises[1].stub
    assert stub.startswith("# 2. Write curve_point") and stub.endswith(
        "answer = None  # once my_curve_point is written: answer = my_curve_point")
    assert assignment.setup_imports == (  # what the exercise cells' code and comments use
        "import keras", "import numpy as np", "from tlcourse import datasets")
    assert grading.load_assignment(NOTEBOOKS / "00_start_here.ipynb",
                                   SOLUTIONS) is None


def test_the_points_table_keeps_an_instructors_edit(tmp_path):
    table = tmp_path / "points.csv"
    grading.write_points(table, {"04.unfreeze": 2, "04.early_stopping": 2})
    table.write_text(table.read_text().replace("04.early_stopping,2,", "04.early_stopping,5,"))
    assert grading.read_points(table) == {"04.early_stopping": 5.0, "04.unfreeze": 2.0}


# --- nbgrader, end to end -----------------------------------------------------------------------

@dataclasses.dataclass
class Course:
    """A built, graded course folder and what grading it took."""

    folder: Path
    points: dict[str, float]
    grades: dict[tuple[str, str], float]  # (assignment, student) → score
    seconds: dict[str, float]  # per nbgrader step


def submission(source, released, student: str, assignment: str):
    """``student``'s notebook: the released copy with the solutions, as it is, or with the
    solutions but one typical wrong answer, whose test cell the learner also emptied, and
    with the test cell of another exercise (if any) deleted."""
    import nbformat

    notebook = nbformat.from_dict(released)
    if student == "stubs":
        return notebook
    solutions = {cell.id: cell.source for cell in source.cells}
    key, _, wrong = WRONG[assignment]
    name = key.replace(".", "_")
    for cell in notebook.cells:
        if cell.metadata["nbgrader"].get("solution"):
            cell.source = solutions[cell.id]
            if student == "wrong" and cell.id == f"answer_{name}":
                cell.source = released_cell(released, cell.id) + wrong
        elif student == "wrong" and cell.id == f"test_{name}":
            cell.source = "pass  # the learner emptied the test"  # autograde restores it
    if student == "wrong":  # add_missing_cells brings a deleted test cell back
        others = [cell.id for cell in notebook.cells
                  if cell.id.startswith("test_") and cell.id != f"test_{name}"]
        notebook.cells = [cell for cell in notebook.cells if cell.id not in others[:1]]
    return notebook


def released_cell(released, cell_id: str) -> str:
    return next(cell.source for cell in released.cells if cell.id == cell_id)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """The course folder of GRADED, released, submitted by three students, autograded,
    with feedback and exported grades."""
    import nbformat

    folder = tmp_path_factory.mktemp("course")
    # nbgrader runs alembic, and the kernel's `python`, from PATH: this environment's
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    seconds = {}

    def step(name: str, *command: str) -> None:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", *command], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=600)
        seconds[name] = time.perf_counter() - start
        assert done.returncode == 0, f"{name} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"

    step("build", "tlcourse", "nbgrader", str(folder),
         *(str(NOTEBOOKS / f"{name}.ipynb") for name in GRADED))
    step("generate_assignment", "nbgrader", "generate_assignment", "*")
    for assignment in GRADED:
        source = nbformat.read(folder / "source" / assignment / f"{assignment}.ipynb", 4)
        released = nbformat.read(folder / "release" / assignment / f"{assignment}.ipynb", 4)
        for student in STUDENTS:
            target = folder / "submitted" / student / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True)
            nbformat.write(submission(source, released, student, assignment), target)
    step("autograde", "nbgrader", "autograde", "*")
    step("generate_feedback", "nbgrader", "generate_feedback", "*")
    step("export", "nbgrader", "export")
    with (folder / "grades.csv").open(newline="") as handle:
        grades = {(row["assignment"], row["student_id"]): float(row["score"])
                  for row in csv.DictReader(handle)}
    print("seconds per step:", {name: round(value, 1) for name, value in seconds.items()},
          f"autograde per submission: {seconds['autograde'] / len(grades):.1f} s")
    return Course(folder, grading.read_points(folder / "points.csv"), grades, seconds)


def assignment_points(course: Course, assignment: str) -> float:
    prefix = assignment[:2] + "."
    return sum(points for key, points in course.points.items() if key.startswith(prefix))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_solutions_score_full_marks_stubs_zero_and_a_wrong_answer_loses_its_points(
        course, assignment):
    total = assignment_points(course, assignment)
    wrong_key = WRONG[assignment][0]
    # The wrong answer's emptied test cell is restored, so it still fails; a deleted test cell
    # of a right answer comes back and scores.
    assert {student: course.grades[assignment, student] for student in STUDENTS} == {
        "solutions": total, "stubs": 0, "wrong": total - course.points[wrong_key]}
    assert 0 < course.points[wrong_key] <= total


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_the_feedback_shows_the_wrong_answers_problem_and_hint(course, assignment):
    key, problem, _ = WRONG[assignment]
    page = (course.folder / "feedback" / "wrong" / assignment / f"{assignment}.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert f"Exercise {key}: " in text and problem in text
    assert "Hint: " in text  # the hint for the diagnosed mistake (tests/test_exercises_nb*.py)
    solved = (course.folder / "feedback" / "solutions" / assignment / f"{assignment}.html")
    assert "Hint:" not in html.unescape(re.sub(r"<[^>]+>", "", solved.read_text()))


@pytest.mark.slow
@pytest.mark.parametrize("assignment", GRADED)
def test_the_released_copy_holds_the_notebooks_stubs_and_no_solution(course, assignment):
    import nbformat

    released = course.folder / "release" / assignment
    assert [path.name for path in released.iterdir()] == [f"{assignment}.ipynb"]
    notebook = nbformat.read(released / f"{assignment}.ipynb", 4)
    text = "\n".join(cell.source for cell in notebook.cells)
    loaded = grading.load_assignment(NOTEBOOKS / f"{assignment}.ipynb",
                                     SOLUTIONS)
    for exercise in loaded.exercises:
        name = exercise.key.replace(".", "_")
        assert released_cell(notebook, f"answer_{name}") == exercise.stub + "\n"
        code = exercise.solution.code.splitlines()
        # the definitions' bodies; a value's own lines when it is one statement
        solution_lines = [line for line in code if line.startswith(" ") and line.strip()] or code
        assert solution_lines and not [line for line in solution_lines if line in text]
        test = next(cell for cell in notebook.cells if cell.id == f"test_{name}")
        assert test.metadata["nbgrader"]["locked"] and test.metadata["nbgrader"]["grade"]
        assert test.metadata["nbgrader"]["points"] == course.points[exercise.key]
    assert grading.BEGIN not in text and "SOLUTION" not in text


@pytest.mark.parametrize("seconds, timeout", [
    ({"04.unfreeze": 8.54, "04.early_stopping": 0.3}, 86), ({"10.build_replicated": 0.4}, 60)])
def test_the_config_sizes_the_timeout_from_the_measured_checkers(seconds, timeout):
    config = grading.config_source(seconds, "/srv/nbgrader/exchange", "tlcourse")
    assert f"\nc.Execute.timeout = {timeout}\n" in config
    assert "#   04.unfreeze" in config or "#   10.build_replicated" in config
    namespace = {"get_config": lambda: __import__("traitlets.config").config.Config()}
    exec(config, namespace)  # what nbgrader loads
    c = namespace["c"]
    assert c.OverwriteCells.add_missing_cells is True
    assert "nbgrader.preprocessors.ClearHiddenTests" in c.GenerateFeedback.preprocessors
    assert c.Exchange.root == "/srv/nbgrader/exchange" and c.ClearSolutions.code_stub == {
        "python": ""}


@pytest.mark.slow
@pytest.mark.browser
def test_the_formgrader_shows_the_scores_in_chromium(course, chromium):
    from playwright.sync_api import expect

    from test_browser import free_port, wait_until_serving

    port, token = free_port(), "formgrader-test"
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               JUPYTER_CONFIG_DIR=str(course.folder.parent / "jupyter-config"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={course.folder}", "--LabApp.news_url=None"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = course.folder.parent / "formgrader.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(command, cwd=course.folder, env=env,
                                  stdout=subprocess.DEVNULL, stderr=log_file)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/api/status?token={token}", server, log)
        page = chromium.new_page()
        page.goto(f"{base}/formgrader/manage_students?token={token}")
        total = sum(assignment_points(course, assignment) for assignment in GRADED)
        for student in STUDENTS:
            score = sum(course.grades[assignment, student] for assignment in GRADED)
            row = page.locator("tr", has=page.get_by_text(student, exact=True))
            expect(row.locator(".score")).to_have_text(f"{score:g} / {total:g}",
                                                       timeout=60_000)
    finally:
        server.terminate()
        server.wait(timeout=30)
