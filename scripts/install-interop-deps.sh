#!/usr/bin/env bash
# Installs what the interop tests (Tests/interop) need, when it is missing:
# - Go with Debian's sources of grpc-go and protobuf, for a client built in GOPATH mode (no Go
#   module proxy is used), and the protoc plugins protoc-gen-go and protoc-gen-go-grpc;
# - grpcio and a Python code generator for the python3 that runs the tests: Debian's packages when
#   that python3 is Debian's own, else grpcio and grpcio-tools from PyPI (Debian's packages would
#   be invisible to it).
#
# golang-github-golang-protobuf-1-5-dev (the generated code needs protobuf 1.4 or later behind
# grpc-go) and protoc-gen-go conflict with the 1.3 packages (golang-github-golang-protobuf-1-3-dev,
# golang-goprotobuf-dev, protoc-gen-go-1-3) that other Debian Go packages pull in. Installed
# together with golang-google-grpc-dev on a machine without them, they satisfy grpc-go. Where
# installing one would remove an installed package, it is unpacked instead under
# GOETHE_INTEROP_DEPS_ROOT (default /usr/local/lib/goethe-interop), which
# Tests/interop/build_clients.py searches before the system's folders.
set -euo pipefail
deps_root=${GOETHE_INTEROP_DEPS_ROOT:-/usr/local/lib/goethe-interop}
packages=(golang-go golang-google-grpc-dev golang-google-protobuf-dev golang-github-google-go-cmp-dev
  protoc-gen-go-grpc protobuf-compiler libprotobuf-dev)
conflicting=(golang-github-golang-protobuf-1-5-dev protoc-gen-go)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
unpacked() { [[ -f "$deps_root/.unpacked-$1" ]]; }
debian_python() { [[ "$(python3 -c 'import sys; print(sys.prefix)')" == /usr ]]; }
python_ready() {
  python3 -c 'import grpc, google.protobuf' 2>/dev/null || return 1
  python3 -c 'import grpc_tools.protoc' 2>/dev/null || command -v grpc_python_plugin >/dev/null
}

missing=()
for package in "${packages[@]}"; do installed "$package" || missing+=("$package"); done
for package in "${conflicting[@]}"; do installed "$package" || unpacked "$package" || missing+=("$package"); done
pip_packages=()
if ! python_ready; then
  if debian_python; then
    missing+=(python3-grpcio python3-protobuf protobuf-compiler-grpc)
  else
    pip_packages=(grpcio grpcio-tools)
  fi
fi
[[ ${#missing[@]} -eq 0 && ${#pip_packages[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "missing for the interop tests: ${missing[*]} ${pip_packages[*]}; run this script as root" >&2
  exit 1
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update -qq
  to_install=()
  to_unpack=()
  for package in "${missing[@]}"; do
    # A package whose installation would remove another is unpacked privately instead.
    if [[ " ${conflicting[*]} " == *" $package "* ]] &&
      apt-get install -s "$package" 2>/dev/null | grep -q '^Remv '; then
      to_unpack+=("$package")
    else
      to_install+=("$package")
    fi
  done
  if [[ ${#to_install[@]} -gt 0 ]]; then
    echo "installing ${to_install[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${to_install[@]}" >/dev/null
  fi
  if [[ ${#to_unpack[@]} -gt 0 ]]; then
    echo "unpacking ${to_unpack[*]} into $deps_root (they conflict with installed packages)" >&2
    download=$(mktemp -d)
    trap 'rm -rf "$download"' EXIT
    chown _apt "$download" 2>/dev/null || true # apt fetches as _apt where it can
    mkdir -p "$deps_root"
    (cd "$download" && apt-get download -qq "${to_unpack[@]}")
    for package in "${to_unpack[@]}"; do
      dpkg -x "$download/${package}_"*.deb "$deps_root"
      touch "$deps_root/.unpacked-$package"
    done
  fi
fi

if [[ ${#pip_packages[@]} -gt 0 ]]; then
  echo "installing ${pip_packages[*]} for $(command -v python3)" >&2
  python3 -m pip install -q "${pip_packages[@]}"
fi
