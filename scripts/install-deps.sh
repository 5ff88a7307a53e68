#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when they are missing.
set -euo pipefail
# etcd-server: the cluster tests start a real etcd 3.4 on loopback ports.
packages=(libleveldb-dev libreadline-dev protobuf-compiler python3-pexpect etcd-server)
# PyYAML for the manifest tests (Tests/deploy), for the python3 that runs the tests: Debian's
# package when that python3 is Debian's own, else PyYAML from PyPI (Debian's would be invisible to it).
pip_packages=()
if ! python3 -c 'import yaml' 2>/dev/null; then
  if [[ "$(python3 -c 'import sys; print(sys.prefix)')" == /usr ]]; then
    packages+=(python3-yaml)
  else
    pip_packages=(PyYAML)
  fi
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 && ${#pip_packages[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -ne 0 ]]; then
  [[ ${#missing[@]} -gt 0 ]] && echo "missing packages; run: sudo apt-get install -y ${missing[*]}" >&2
  [[ ${#pip_packages[@]} -gt 0 ]] && echo "missing for $(command -v python3); run: python3 -m pip install ${pip_packages[*]}" >&2
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
