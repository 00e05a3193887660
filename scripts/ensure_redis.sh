#!/usr/bin/env bash
# Print the URL of a Redis server the tests may use (the task queue's Redis storage). Database 13 is
# the tests' own: they flush nothing else.
# 1. $SYNTHESIST_TEST_REDIS_URL if set; 2. a server on 127.0.0.1:6379 (our machines run one);
# 3. otherwise install redis-server from Debian's packages and start it without persistence.
set -euo pipefail
log() { echo "$*" >&2; }

if [ -n "${SYNTHESIST_TEST_REDIS_URL:-}" ]; then echo "$SYNTHESIST_TEST_REDIS_URL"; exit 0; fi
url="redis://127.0.0.1:6379/13"
answers() { .venv/bin/python -c "import redis; redis.Redis.from_url('$url', socket_connect_timeout=2).ping()" >/dev/null 2>&1; }

if answers; then echo "$url"; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  log "No Redis answers on 127.0.0.1:6379 and this user cannot install one (not root); the Redis tests will be skipped."
  echo "$url"; exit 0
fi
if ! command -v redis-server >/dev/null 2>&1; then
  log "Installing Redis from Debian packages..."
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
fi
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >&2
for _ in $(seq 1 30); do answers && break; sleep 0.5; done
answers || log "Redis was started but does not answer at $url; the Redis tests will be skipped."
echo "$url"
