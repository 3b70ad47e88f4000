#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs whatever is missing, builds, then
#   ./build.sh            runs the default scenario (scenarios/quickstart.json)
#   ./build.sh test       runs the whole test suite
#   ./build.sh build      only installs and builds
# Environment: BUILD_DIR (default build/), JOBS (default: number of cores).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(
  build-essential cmake pkg-config
  libsimgrid-dev nlohmann-json3-dev libboost-program-options-dev libgtest-dev
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-qpa-plugins libgl-dev
  libqt6opengl6-dev  # Qt6Charts' CMake config needs Qt6OpenGL, which Debian 12 does not pull in
  python3 python3-pandas python3-matplotlib python3-nbformat python3-nbclient python3-ipykernel jupyter-nbconvert
)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

install_missing
build
case "${1:-quickstart}" in
  quickstart) "$BUILD_DIR/sim/kafkasim" run scenarios/quickstart.json ;;
  test) ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" ;;
  build) ;;
  *) echo "usage: ./build.sh [quickstart|test|build]" >&2; exit 2 ;;
esac
