"""Run the benchmarks: `python -m bench [--sizes 1000,10000,100000] [--only near-me,...]`.

Each run uses a throwaway database (a temporary SQLite file, or <name>_bench on the PostgreSQL
server of DATABASE_URL, <name> being its database: relais_bench for .../relais), grows the same
fictitious dataset size by size, and prints medians and ratios measured in that one run.
"""

import argparse
import os
import sys
import time

from bench.harness import Report, configure_database

BENCHMARKS = {
    "near-me": "bench.search",
    "map": "bench.maps",
    "contact": "bench.contact",
    "import": "bench.imports",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="listings, comma-separated")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="benchmarks to run")
    options = parser.parse_args(argv)
    sizes = sorted(int(size) for size in options.sizes.split(","))
    chosen = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    database = configure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import warnings

    import django

    # WhiteNoise warns that collectstatic has not run; static files are not measured here.
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["testserver"]
    from importlib import import_module

    from django.core.management import call_command

    from bench.datasets import grow_to

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_gazetteer", stdout=quiet)
    report = Report(database)
    modules = {name: import_module(BENCHMARKS[name]) for name in chosen}
    for size in sizes:
        started = time.perf_counter()
        grow_to(size)
        print(
            f"[{database}] {size:,} listings ready in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        for module in modules.values():
            module.run(report, size)
    print(report.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
