#!/usr/bin/env bash
# Installs what the build and the tests need, when it is missing: Debian packages, and the Python
# packages of the tests for the python3 that runs them — the official Kubernetes client for the
# tests of the Kubernetes API fake (Tests/kubernetes), and PyYAML for the manifest tests
# (Tests/deploy). Debian's packages when that python3 is Debian's own, else PyPI's (Debian's would
# be invisible to it).
set -euo pipefail
# etcd-server: the cluster tests start a real etcd 3.4 on loopback ports.
packages=(libleveldb-dev libreadline-dev protobuf-compiler python3-pexpect etcd-server)
# No python3 yet means Debian's, which python3-pexpect brings.
debian_python() { ! command -v python3 >/dev/null || [[ "$(python3 -c 'import sys; print(sys.prefix)')" == /usr ]]; }
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
pip_packages=()
# module, Debian package, PyPI package
for python in "kubernetes python3-kubernetes kubernetes" "yaml python3-yaml PyYAML"; do
  read -r module debian pypi <<<"$python"
  if ! python3 -c "import $module" 2>/dev/null; then
    if debian_python; then missing+=("$debian"); else pip_packages+=("$pypi"); fi
  fi
done
[[ ${#missing[@]} -eq 0 && ${#pip_packages[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]]; then
  [[ ${#missing[@]} -eq 0 ]] || echo "missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
  [[ ${#pip_packages[@]} -eq 0 ]] || echo "missing Python packages; run: python3 -m pip install ${pip_packages[*]}" >&2
  exit 1
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [[ ${#pip_packages[@]} -gt 0 ]]; then
  echo "installing ${pip_packages[*]} for $(command -v python3)" >&2
  python3 -m pip install -q "${pip_packages[@]}"
fi
