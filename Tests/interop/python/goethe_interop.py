"""A Goethe client built on Python grpcio, for the interop tests in Tests/interop.

The Python twin of go/ (goethe-interop): the same subcommands run the same scenarios and print what
they observed as one JSON object on stdout. It judges nothing itself; test_interop.py holds the
expectations for both clients.

    python3 goethe_interop.py -addr HOST:PORT SUBCOMMAND [-topic T] [-consumer C] [-count N] [NAME]

Channels use grpcio's default options, BDP pings included. The stubs are generated at test time
into the folder GOETHE_INTEROP_STUBS names (build_clients.py). goethe_v1.proto and goethe.proto
define the same message names, so one process imports only the one its subcommand needs.

Exit status: 0 when the scenario ran (whatever it observed), 1 when it could not run (a setup call
failed), 2 for a usage error.
"""

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STUBS = Path(os.environ.get("GOETHE_INTEROP_STUBS") or HERE.parents[2] / ".build" / "interop" / "python")
sys.path[:0] = [str(STUBS), str(HERE)]

from client_support import SetupFailed  # noqa: E402  (after the path is set)


def scenarios():
    # Imported here: each module loads the generated code of one protocol file only.
    def produce_consume(opts):
        import produce_consume
        return produce_consume.run(opts)

    def v1_case(opts):
        import v1_cases
        return v1_cases.run(opts)

    def deadline(opts):
        import deadlines
        return deadlines.run(opts)

    def newer(name):
        def run(opts):
            import newer_rpcs
            return getattr(newer_rpcs, name)(opts)
        return run

    return {"produce-consume": produce_consume, "v1-case": v1_case, "deadline": deadline,
            "newer-rpcs": newer("newer_rpcs"), "topics": newer("topics"), "cursor": newer("cursor"),
            "cancellations": newer("cancellations")}


def main(argv):
    parser = argparse.ArgumentParser(prog="goethe_interop.py")
    parser.add_argument("-addr", required=True)
    parser.add_argument("subcommand", choices=sorted(scenarios()))
    parser.add_argument("name", nargs="?")
    parser.add_argument("-topic", default="")
    parser.add_argument("-consumer", default="")
    parser.add_argument("-count", type=int, default=10000)
    opts = parser.parse_intermixed_args(argv)
    try:
        result = scenarios()[opts.subcommand](opts)
    except SetupFailed as error:
        print(f"goethe_interop.py: {error}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
