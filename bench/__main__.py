"""``python -m bench``: run every ``bench/*_bench.py`` module's ``main()`` in name order.

Modules are found by file name so benchmarks added later compose without
editing this file.  Each runs with an empty argument list (their defaults);
one failing benchmark is reported and the others still run.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path


def main() -> int:
    failed = []
    argv = sys.argv
    for path in sorted(Path(__file__).resolve().parent.glob("*_bench.py")):
        name = f"bench.{path.stem}"
        print(f"== {name}", flush=True)
        sys.argv = [str(path)]
        try:
            importlib.import_module(name).main()
        except Exception:  # noqa: BLE001 - report and go on to the next benchmark
            traceback.print_exc()
            failed.append(name)
        finally:
            sys.argv = argv
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
