#!/usr/bin/env bash
# Installs wrk, the load generator of the benchmark's http suite (which the benchmark smoke test runs), when it is not
# on the PATH. apt-get needs root, as the PostgreSQL install in postgres.sh does.
ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  echo "Installing wrk..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
}
