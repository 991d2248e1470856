"""``python -m tlcourse nbgrader DIR``: the course's exercises as an nbgrader course folder.

Writes, under DIR:

- ``source/NN_name/NN_name.ipynb``, one assignment per notebook with exercises: a locked setup
  cell (Keras imported quietly, the data home set, the notebook's imports that the exercises
  name), then per exercise the notebook's own answer cell (its stub and ``answer = None``)
  followed by the solution from ``solutions/NN_name.py`` between nbgrader's solution markers,
  and a locked, pointed test cell calling ``exercises.grade``;
- ``points.csv``, the points of every exercise: the one table an instructor edits (then runs
  the command again, which keeps the edits);
- ``nbgrader_config.py``: the exchange, a cell timeout sized from the checkers' times measured
  while building (each solution is run through its checker: a failing one stops the build),
  restored test cells, feedback without hidden tests.

The assignments hold the exercises only, not the lesson: every checker builds its own data
and models, so none needs a notebook's earlier state (each assignment's solutions are graded
without it while the course folder is built, and by tests/test_nbgrader.py).
"""

from __future__ import annotations

import ast
import csv
import dataclasses
import json
import math
import os
import re
import time
from pathlib import Path

from .. import folders
from .repository import SOLUTIONS, notebook_paths

CHECK_CALL = re.compile(r'^exercises\.check\("(?P<key>[^"]+)", (?P<answer>\w+)\)$', re.M)
EXERCISES_IMPORT = "from tlcourse import exercises"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# The solution region becomes nothing in the learner's copy: the notebook's stub above it stays.
CODE_STUB = ""
ALWAYS_IMPORTED = ("import keras", "import numpy as np")
# Points of an exercise the table does not list yet: code to write, or a value to find.
CODE_POINTS, VALUE_POINTS = 2, 1
# Each cell may run this many times the slowest measured exercise (a shared server is slower
# than a quiet one), and never less than MINIMUM_TIMEOUT s (the setup cell's `import keras`
# took 3.5 s on 2 cores).
TIMEOUT_FACTOR, MINIMUM_TIMEOUT = 10, 60


@dataclasses.dataclass(frozen=True)
class Solution:
    """An exercise's solution: the statements it needs, and the expression of the answer."""

    code: str  # imports and definitions from the solutions file ("" when none is needed)
    expression: str
    writes_code: bool  # a function or model to write (else a value to find)

    def setting(self, answer: str) -> str:
        """The solution as code that sets the variable ``answer``."""
        return "\n\n\n".join([self.code, f"{answer} = {self.expression}"] if self.code
                              else [f"{answer} = {self.expression}"])


@dataclasses.dataclass(frozen=True)
class Exercise:
    """One graded exercise: the learner's answer cell, and the solution code that follows it."""

    key: str
    answer: str  # the variable the test cell grades
    stub: str  # the notebook's cell up to its check call, as the learner receives it
    solution: Solution


@dataclasses.dataclass(frozen=True)
class Assignment:
    """One notebook's exercises as an nbgrader assignment."""

    name: str  # the notebook's stem, e.g. 04_fine_tuning
    title: str
    setup_imports: tuple[str, ...]
    exercises: tuple[Exercise, ...]


def _title(cells: list[dict]) -> str:
    for cell in cells:
        if cell["cell_type"] == "markdown" and cell["source"].startswith("# "):
            return cell["source"].splitlines()[0][2:].strip()
    raise ValueError("the notebook has no '# title' markdown cell")


def exercise_cells(cells: list[dict]) -> list[tuple[str, str, str]]:
    """(key, answer variable, stub) for each exercise cell: the cell up to its
    ``exercises.check`` call, without its ``from tlcourse import exercises``."""
    found = []
    for cell in cells:
        match = CHECK_CALL.search(cell["source"]) if cell["cell_type"] == "code" else None
        if match:
            lines = [line for line in cell["source"][:match.start()].splitlines()
                     if line != EXERCISES_IMPORT]
            found.append((match["key"], match["answer"], "\n".join(lines).strip("\n")))
    return found


def _bound_names(statement: ast.stmt) -> set[str]:
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        return {node.id for target in statement.targets for node in ast.walk(target)
                if isinstance(node, ast.Name)}
    return set()


def _used_names(node: ast.AST) -> set[str]:
    return {name.id for name in ast.walk(node) if isinstance(name, ast.Name)}


def solution_answers(path: Path) -> dict[str, Solution]:
    """Each exercise of a solutions file, from its ``ANSWERS``, which maps a key to a function
    returning the answer: ``lambda: classify`` for a function to write, ``vgg_vs_mobilenet``
    for a value that calling it computes. Only the statements the answer uses are kept."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    module = ast.parse(source)
    statements = [s for s in module.body if _bound_names(s) and "ANSWERS" not in _bound_names(s)]
    binder = {name: s for s in statements for name in _bound_names(s)}
    answers = next(s.value for s in module.body if "ANSWERS" in _bound_names(s))
    found = {}
    for key_node, value in zip(answers.keys, answers.values):
        writes_code = isinstance(value, ast.Lambda)
        expression = ast.unparse(value.body) if writes_code else f"{ast.unparse(value)}()"
        needed, queue = set(), list(_used_names(ast.parse(expression)))
        while queue:
            statement = binder.get(queue.pop())
            if statement is not None and id(statement) not in needed:
                needed.add(id(statement))
                queue.extend(_used_names(statement))
        imports, definitions = [], []
        for statement in (s for s in statements if id(s) in needed):
            first = min([statement.lineno] + [decorator.lineno for decorator in
                                              getattr(statement, "decorator_list", [])])
            text = "\n".join(lines[first - 1:statement.end_lineno])
            (imports if isinstance(statement, (ast.Import, ast.ImportFrom))
             else definitions).append(text)
        code = "\n\n\n".join((["\n".join(imports)] if imports else []) + definitions)
        found[key_node.value] = Solution(code, expression, writes_code)
    return found


def _uses(name: str, text: str) -> bool:
    return re.search(rf"(?:(?<![\w.])|(?<=tlcourse\.)){re.escape(name)}[.(]", text) is not None


def setup_imports(cells: list[dict], text: str) -> tuple[str, ...]:
    """Keras and numpy, then the notebook's top-level imports, each reduced to the names that
    ``text`` (what the learner receives) uses as ``name.``, ``name(`` or ``tlcourse.name.``."""
    kept = list(ALWAYS_IMPORTED)
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        try:
            module = ast.parse(cell["source"])
        except SyntaxError:  # IPython magics: not an import cell
            continue
        for statement in module.body:
            if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                continue
            names = [alias for alias in statement.names
                     if _uses((alias.asname or alias.name).split(".")[0], text)]
            if names:
                statement.names = names
                line = ast.unparse(statement)
                if line != EXERCISES_IMPORT and line not in kept:
                    kept.append(line)
    return tuple(kept)


def load_assignment(notebook: Path, solutions: Path) -> Assignment | None:
    """The assignment of ``notebook`` (None when it has no exercises)."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    found = exercise_cells(cells)
    if not found:
        return None
    path = solutions / f"{notebook.stem}.py"
    if not path.is_file():
        raise FileNotFoundError(f"{notebook.name} has exercises but {path} does not exist")
    answers = solution_answers(path)
    missing = [key for key, _, _ in found if key not in answers]
    if missing:
        raise KeyError(f"{path} has no solution for {', '.join(missing)}")
    exercises = tuple(Exercise(key, answer, stub, answers[key]) for key, answer, stub in found)
    text = "\n".join(exercise.stub for exercise in exercises)
    return Assignment(notebook.stem, _title(cells), setup_imports(cells, text), exercises)


def _nbgrader(grade_id: str, *, solution: bool = False, points: float | None = None) -> dict:
    """nbgrader's cell metadata: an answer cell (``solution``), a test cell (``points``), or
    else a read-only cell. Test and read-only cells are locked."""
    return {"nbgrader": {"grade": points is not None, "grade_id": grade_id,
                         "locked": not solution, "schema_version": 3, "solution": solution,
                         "task": False, **({"points": points} if points is not None else {})}}


def setup_source(assignment: Assignment, data_home: Path) -> str:
    """The setup cell: quiet Keras, the data home, the checkers, the imports the stubs use."""
    imports = "\n".join(f"    {line}" for line in assignment.setup_imports)
    return (f"# Run this cell first. It sets the class's data home, imports what the exercises "
            f"use\n# without TensorFlow's log lines, and the checkers the graded cells call.\n"
            f"import os\n\nos.environ[\"TF_CPP_MIN_LOG_LEVEL\"] = \"3\"\n"
            f"os.environ[\"{folders.DATA_ENV}\"] = {json.dumps(str(data_home))}\n"
            f"{EXERCISES_IMPORT}\n\nwith exercises.silenced():\n{imports}\n")


def build_notebook(assignment: Assignment, points: dict[str, float], data_home: Path,
                   kernelspec: dict):
    """The assignment's source notebook (solutions included: never give it to learners)."""
    import nbformat

    total = sum(points[exercise.key] for exercise in assignment.exercises)
    count = len(assignment.exercises)
    intro = (f"# Graded: {assignment.title}\n\n{count} exercise{'s' * (count > 1)}, "
             f"{total:g} points. Run the setup cell first. Write each answer in its "
             f"cell (the comment says what to write; set `answer` as the last line shows), "
             f"then run the locked cell below it: it checks your answer as the grader will, "
             f"and gives a hint when something is wrong.")
    cells = [nbformat.v4.new_markdown_cell(intro, id="intro", metadata=_nbgrader("intro")),
             nbformat.v4.new_code_cell(setup_source(assignment, data_home), id="setup",
                                       metadata=_nbgrader("setup"))]
    for exercise in assignment.exercises:
        name = exercise.key.replace(".", "_")
        answer = (f"{exercise.stub}\n{BEGIN}\n{exercise.solution.setting(exercise.answer)}\n"
                  f"{END}")
        test = (f"# Grades exercise {exercise.key} ({points[exercise.key]:g} points). Locked: "
                f"the grader runs this cell as it is here.\n{EXERCISES_IMPORT}  # even "
                f"without the setup cell\n\nexercises.grade({json.dumps(exercise.key)}, "
                f"{exercise.answer})")
        cells += [nbformat.v4.new_code_cell(answer, id=f"answer_{name}",
                                            metadata=_nbgrader(f"answer_{name}", solution=True)),
                  nbformat.v4.new_code_cell(test, id=f"test_{name}", metadata=_nbgrader(
                      f"test_{name}", points=points[exercise.key]))]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": kernelspec})


def read_points(path: Path) -> dict[str, float]:
    """The points table (exercise → points); empty when there is none yet."""
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["exercise"]: float(row["points"]) for row in csv.DictReader(handle)}


def write_points(path: Path, points: dict[str, float]) -> None:
    """Write the points table, one exercise a row with its question, in exercise order."""
    from .. import exercises

    exercises._load_all()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["exercise", "points", "question"])
        for key in sorted(points):
            question = exercises.REGISTRY[key].question if key in exercises.REGISTRY else ""
            writer.writerow([key, f"{points[key]:g}", question])


def measure(exercise: Exercise) -> float:
    """Seconds the solution and then its checker take (``exercises.grade``: raises if the
    solution fails)."""
    from .. import exercises

    namespace: dict = {}
    start = time.perf_counter()
    exec(compile(exercise.solution.setting(exercise.answer), f"<solution {exercise.key}>",
                 "exec"), namespace)
    exercises.grade(exercise.key, namespace[exercise.answer])
    return time.perf_counter() - start


def config_source(seconds: dict[str, float], exchange: str, course_id: str) -> str:
    """nbgrader_config.py: the exchange, timeouts from ``seconds``, restored and hidden tests."""
    timeout = max(MINIMUM_TIMEOUT, math.ceil(TIMEOUT_FACTOR * max(seconds.values())))
    measured = "\n".join(f"#   {key:<28} {value:5.1f} s" for key, value in seconds.items())
    return f'''"""nbgrader configuration of the course, written by `python -m tlcourse nbgrader`.

Run nbgrader from this folder (generate_assignment, release_assignment, collect, autograde,
generate_feedback, release_feedback, export). Regenerating rewrites this file, source/ and
points.csv (keeping its points), never the gradebook or the submissions.
"""
c = get_config()  # noqa: F821 (nbgrader defines it)

c.CourseDirectory.course_id = {course_id!r}

# The exchange: the folder where released assignments, submissions and feedback meet. Every
# learner's Jupyter server and the instructor's must see the same folder, writable by all:
# on one machine a local folder; on Zero to JupyterHub a ReadWriteMany volume (NFS, CephFS,
# a cloud file share) mounted at this path in every user pod. Without a shared volume, use
# ngshare (a JupyterHub service) and its exchange instead of this setting.
c.Exchange.root = {exchange!r}

# Each exercise's solution and checker, measured while this folder was built:
{measured}
# A cell may run {TIMEOUT_FACTOR} times the slowest, at least {MINIMUM_TIMEOUT} s (the setup cell imports Keras).
c.Execute.timeout = {timeout}

# Test cells are locked in the interface only: autograde restores an edited one from the
# gradebook, and with this a deleted one too (it comes back without its cell id).
c.OverwriteCells.add_missing_cells = True

# The solution regions become nothing: the learner's cell keeps the notebook's own stub above.
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}

# Feedback never shows hidden tests.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]
'''


def run(directory: Path, notebooks: list[str], solutions: Path | None, data_home: str | None,
        exchange: str, course_id: str) -> int:
    """Write the course folder ``directory`` from ``notebooks`` (all when empty) and the
    solutions in ``solutions`` (None: the course's solutions/); the assignments set the data
    home ``data_home`` (None: the active one)."""
    import nbformat

    paths = [Path(notebook) for notebook in notebooks] or notebook_paths()
    solutions = solutions or SOLUTIONS
    data_home = Path(data_home or folders.data_home()).resolve()
    os.environ[folders.DATA_ENV] = str(data_home)  # the checkers are measured as graded
    directory.mkdir(parents=True, exist_ok=True)
    table = directory / "points.csv"
    points = read_points(table)
    seconds: dict[str, float] = {}
    for path in paths:
        assignment = load_assignment(path, solutions)
        if assignment is None:
            continue
        for exercise in assignment.exercises:
            points.setdefault(exercise.key, CODE_POINTS if exercise.solution.writes_code
                              else VALUE_POINTS)
            seconds[exercise.key] = measure(exercise)
        target = directory / "source" / assignment.name / f"{assignment.name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        kernelspec = nbformat.read(path, as_version=4).metadata["kernelspec"]
        nbformat.write(build_notebook(assignment, points, data_home, kernelspec), target)
        print(f"{assignment.name}: {len(assignment.exercises)} exercise(s), "
              f"{sum(points[e.key] for e in assignment.exercises):g} points")
    if not seconds:
        raise ValueError(f"none of {', '.join(map(str, paths))} has exercises")
    write_points(table, points)
    (directory / "nbgrader_config.py").write_text(config_source(seconds, exchange, course_id))
    print(f"course folder {directory}: {len(seconds)} exercises; edit {table} and run again to "
          "change points. source/ holds the solutions: learners get the released copies "
          "(nbgrader generate_assignment, release_assignment), never source/")
    return 0
