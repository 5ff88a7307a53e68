"""Builds the interop clients into .build/interop from the protocol files, once per test run.

- Go: protoc with protoc-gen-go and protoc-gen-go-grpc writes the generated packages into a
  private GOPATH (.build/interop/gopath), and `go build` in GOPATH mode (GO111MODULE=off) links
  them with Debian's grpc-go and protobuf sources in /usr/share/gocode. The Go modules of a
  package proxy are not used.
- Python: grpc_tools.protoc (or, without it, protoc with Debian's grpc_python_plugin) writes
  goethe_v1_pb2*.py and goethe_pb2*.py into .build/interop/python.

Both clients are built from two files: protos/goethe_v1.proto, what a v1 program compiles, and
Sources/GoetheKit/Protocol/goethe.proto, the daemon's own protocol. They define the same messages
under the same names, as two programs written years apart would; a Go binary that links both is
built with protobuf's registration conflict policy set to "ignore", and the Python client imports
one of them per process.

scripts/install-interop-deps.sh installs the tools. When a Debian package could not be installed
without removing another (golang-github-golang-protobuf-1-5-dev against the 1-3 one), it unpacks
it under GOETHE_INTEROP_DEPS_ROOT (default /usr/local/lib/goethe-interop), which is searched first.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
OUT = REPO_ROOT / ".build" / "interop"
V1_PROTO_DIR = HERE / "protos"
PROTO_DIR = REPO_ROOT / "Sources" / "GoetheKit" / "Protocol"
GO_SOURCE = HERE / "go"
GO_IMPORT_ROOT = "goethe/interop"
GO_BINARY = OUT / "goethe-interop"
PYTHON_STUBS = OUT / "python"
DEPS_ROOT = Path(os.environ.get("GOETHE_INTEROP_DEPS_ROOT", "/usr/local/lib/goethe-interop"))
DEBIAN_GOPATH = Path("/usr/share/gocode")
INSTALL_HINT = "run scripts/install-interop-deps.sh (make deps)"


class BuildError(AssertionError):
    pass


def _run(args, **kwargs):
    result = subprocess.run([str(arg) for arg in args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=600, **kwargs)
    if result.returncode != 0:
        raise BuildError(f"{' '.join(str(arg) for arg in args)} failed ({result.returncode}):\n{result.stdout}")
    return result.stdout


def _tool_path():
    """PATH with the privately unpacked Debian tools first."""
    return os.pathsep.join([str(DEPS_ROOT / "usr" / "bin"), os.environ.get("PATH", "")])


def _require(tool, path):
    found = shutil.which(tool, path=path)
    if not found:
        raise BuildError(f"{tool} is not installed; {INSTALL_HINT}")
    return found


def build_go_client():
    """Generates the Go packages and builds .build/interop/goethe-interop; returns its path."""
    path = _tool_path()
    protoc = _require("protoc", path)
    plugins = [f"--plugin=protoc-gen-go={_require('protoc-gen-go', path)}",
               f"--plugin=protoc-gen-go-grpc={_require('protoc-gen-go-grpc', path)}"]
    go = _require("go", path)
    gopath = OUT / "gopath"
    generated = gopath / "src" / GO_IMPORT_ROOT
    shutil.rmtree(generated, ignore_errors=True)
    generated.mkdir(parents=True)
    _run([protoc, *plugins, f"-I{V1_PROTO_DIR}", f"--go_out={gopath / 'src'}", f"--go-grpc_out={gopath / 'src'}",
          V1_PROTO_DIR / "goethe_v1.proto"])
    package = f"Mgoethe.proto={GO_IMPORT_ROOT}/goethepb"
    _run([protoc, *plugins, f"-I{PROTO_DIR}", f"--go_out={gopath / 'src'}", f"--go_opt={package}",
          f"--go-grpc_out={gopath / 'src'}", f"--go-grpc_opt={package}", PROTO_DIR / "goethe.proto"])
    env = dict(os.environ, PATH=path, GO111MODULE="off", GOFLAGS="", GOPROXY="off",
               GOCACHE=str(OUT / "gocache"),
               GOPATH=os.pathsep.join(str(p) for p in [gopath, DEPS_ROOT / "usr" / "share" / "gocode", DEBIAN_GOPATH]))
    _run([go, "build", "-ldflags", "-X google.golang.org/protobuf/reflect/protoregistry.conflictPolicy=ignore",
          "-o", GO_BINARY, "."], cwd=GO_SOURCE, env=env)
    return GO_BINARY


def build_python_stubs():
    """Generates goethe_v1_pb2*.py and goethe_pb2*.py into .build/interop/python; returns the folder."""
    shutil.rmtree(PYTHON_STUBS, ignore_errors=True)
    PYTHON_STUBS.mkdir(parents=True)
    for proto_dir, proto in [(V1_PROTO_DIR, "goethe_v1.proto"), (PROTO_DIR, "goethe.proto")]:
        try:
            import grpc_tools  # noqa: F401  (only whether it is there)
            command = [sys.executable, "-m", "grpc_tools.protoc"]
            grpc_out = f"--grpc_python_out={PYTHON_STUBS}"
        except ImportError:
            path = _tool_path()
            command = [_require("protoc", path),
                       f"--plugin=protoc-gen-grpc={_require('grpc_python_plugin', path)}"]
            grpc_out = f"--grpc_out={PYTHON_STUBS}"
        _run([*command, f"-I{proto_dir}", f"--python_out={PYTHON_STUBS}", grpc_out, proto_dir / proto])
    return PYTHON_STUBS


if __name__ == "__main__":
    print(build_go_client())
    print(build_python_stubs())
