"""Command line: ``python -m tlcourse doctor | fetch | run | bench | cards | launch | gpu-run |
site | nbgrader | cache``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tlcourse",
                                     description="Transfer-learning course helper.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("doctor", help="report versions, hardware, folders and missing assets")
    fetch = commands.add_parser("fetch", help="download everything a profile needs")
    fetch.add_argument("--profile", help="cpu or gpu (default: the active profile)")
    fetch.add_argument("--backbone", action="append", default=[],
                       help="fetch only these backbones' weights (repeatable)")
    run = commands.add_parser("run", help="execute every notebook headless, in order")
    run.add_argument("notebooks", nargs="*", help="notebook files (default: all)")
    run.add_argument("--output", default="executed", help="folder for executed copies")
    run.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    bench = commands.add_parser("bench", help="measure the course against its baselines")
    bench.add_argument("--quick", action="store_true", help="tiny sizes (keeps it working in CI)")
    bench.add_argument("--output", default="bench", help="folder for bench.json and bench.md")
    bench.add_argument("--readme", action="store_true",
                       help="only regenerate README.md's performance table from benchmarks/")
    bench.add_argument("--no-notebooks", action="store_true",
                       help="skip P3 (running every notebook, about 15 minutes on 2 cores)")
    bench.add_argument("--p6", action="store_true",
                       help="only P6: sentence embeddings, KerasHub vs sentence-transformers "
                            "(needs the `bench` extra)")
    cards = commands.add_parser("cards", help="run notebooks over seeds: expected-results cards")
    cards.add_argument("notebooks", nargs="*", help="notebook files (default: all but 00)")
    cards.add_argument("--seeds", type=int, default=3, help="runs per notebook (default 3)")
    cards.add_argument("--no-readme", action="store_true", help="leave README.md unchanged")
    commands.add_parser("launch", help="write the Colab / Kaggle badges and install cell "
                                       "into every notebook")
    gpu_run = commands.add_parser("gpu-run", help="every notebook through nbval under the gpu "
                                                  "profile: wall time and peak memory each")
    gpu_run.add_argument("notebooks", nargs="*", help="notebook files (default: all)")
    gpu_run.add_argument("--output", default="executed/gpu", help="folder for gpu_run.json/.md")
    gpu_run.add_argument("--profile", default="gpu", help="profile to run (default gpu)")
    site = commands.add_parser("site", help="build the course site (Jupyter Book) from the "
                                             "executed notebooks in executed/")
    site.add_argument("--executed", default="executed", help="folder of executed notebooks")
    site.add_argument("--output", default="executed/site", help="folder for the built site")
    grading = commands.add_parser("nbgrader", help="write an nbgrader course folder: each "
                                                   "notebook's exercises as a graded assignment")
    grading.add_argument("directory", help="the course folder (its gradebook and submissions "
                                           "are kept)")
    grading.add_argument("notebooks", nargs="*",
                         help="notebook files (default: every notebook with exercises)")
    grading.add_argument("--solutions", help="folder of the NN_name.py solutions (default: the "
                                             "course's solutions/)")
    grading.add_argument("--data-home", help="data home the assignments set (default: the "
                                             "active one)")
    grading.add_argument("--exchange", default="/srv/nbgrader/exchange",
                         help="nbgrader's exchange folder, shared by the class (default: "
                              "%(default)s)")
    grading.add_argument("--course-id", default="tlcourse", help="default: %(default)s")
    cache = commands.add_parser("cache", help="show what the cache holds; --clear deletes "
                                              "the decoded photos and features")
    cache.add_argument("--clear", action="store_true",
                       help="delete the cached arrays and features (rebuilt when next needed)")
    args = parser.parse_args(argv)
    if args.command == "cache":
        from .cachefiles import describe_cache

        print(describe_cache(clear=args.clear))
        return 0
    if args.command == "nbgrader":
        from pathlib import Path

        from .maintainer import nbgrader

        return nbgrader.run(Path(args.directory), args.notebooks,
                            args.solutions and Path(args.solutions), args.data_home,
                            args.exchange, args.course_id)
    if args.command == "site":
        from pathlib import Path

        from .maintainer import site as course_site

        return course_site.run(Path(args.output), Path(args.executed))
    if args.command == "gpu-run":
        from pathlib import Path

        from .maintainer import gpurun

        return gpurun.run(Path(args.output), args.notebooks, args.profile)
    if args.command == "launch":
        from .maintainer import launch

        changed = launch.apply_all()
        print(f"updated {len(changed)} notebook(s): {', '.join(changed) or 'none'}")
        return 0
    if args.command == "doctor":
        from . import doctor  # imports Keras: only once a command runs, so --help answers at once

        return doctor.doctor()
    if args.command == "fetch":
        from . import assets

        return assets.fetch(args.profile, args.backbone)
    if args.command == "bench":
        from pathlib import Path

        from .maintainer import bench as benchmark

        from .maintainer import encoder_bench

        if args.readme:
            benchmark.update_readme(benchmark.load_records())
            encoder_bench.update_readme(encoder_bench.load_records())
            return 0
        if args.p6:
            encoder_bench.run(args.quick, Path(args.output))
            return 0
        benchmark.run(args.quick, Path(args.output), notebooks=not args.no_notebooks)
        return 0
    if args.command == "cards":
        from .maintainer import cardgen

        return cardgen.run(args.seeds, args.notebooks, readme=not args.no_readme)
    from .maintainer import runner

    return runner.run(args.notebooks, args.output, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
