# Sourced by examples/*/run.sh: finds the runtime and runs a config template in a throwaway
# busybox bundle.

examples_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$examples_dir/.." && pwd)

# $MINIRUN, else minirun on PATH, else the one built in build/.
find_runtime() {
  if [ -n "${MINIRUN:-}" ]; then
    echo "$MINIRUN"
  elif command -v minirun >/dev/null; then
    command -v minirun
  elif [ -x "$repo_root/build/minirun" ]; then
    echo "$repo_root/build/minirun"
  else
    echo "minirun not found: cmake -S . -B build && cmake --build build -j, or set MINIRUN" >&2
    return 1
  fi
}

# run_example CONFIG_TEMPLATE: a bundle in a temp dir with that config, run, then removed.
# Returns the container's exit code.
run_example() {
  local template=$1
  if [ "$(id -u)" != 0 ]; then
    echo "run as root: containers need namespaces and mounts" >&2
    return 1
  fi
  example_runtime=$(find_runtime) || return 1
  example_bundle=$(mktemp -d /tmp/minirun-example.XXXXXX)
  example_id="example-$(basename "$(dirname "$template")")-$$"
  trap 'cleanup_example' EXIT
  "$examples_dir/make-busybox-bundle.sh" "$example_bundle" >/dev/null
  cp "$template" "$example_bundle/config.json"
  echo "runtime: $example_runtime"
  local status=0
  "$example_runtime" run --bundle "$example_bundle" "$example_id" </dev/null || status=$?
  return $status
}

cleanup_example() {
  # `run` deletes the container when it ends; this is for an interrupted run.
  "$example_runtime" delete --force "$example_id" >/dev/null 2>&1 || true
  rm -rf "$example_bundle"
}
