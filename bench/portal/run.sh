#!/usr/bin/env bash
# Throughput of the public portal against nginx serving the very same bytes.
#
#   bench/portal/run.sh            # build (release), measure, write docs/benchmarks.md
#   DURATION=20 CONNECTIONS=64 bench/portal/run.sh
#
# Serves the bundled registry with a release build of paradiplo, captures the
# hub page and a partner page to static files, serves those with nginx on
# another loopback port, and runs wrk against all four URLs in the same run.
# Everything stays on 127.0.0.1 and stops by itself. Needs nginx and wrk
# (apt-get install nginx-light wrk; installed here when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
APP_PORT="${APP_PORT:-18181}"
NGINX_PORT="${NGINX_PORT:-18182}"
PARTNER="${PARTNER:-baviere}"

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk
  fi
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

cargo build --release -p paradiplo
work="$(mktemp -d)"
chmod 755 "$work"   # nginx workers run as an unprivileged user
app_pid=""
nginx_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

RUST_LOG=warn ./target/release/paradiplo serve --addr "127.0.0.1:$APP_PORT" --data "$work/data" \
  >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$APP_PORT/healthz" >/dev/null && break
  sleep 0.2
done

hub="/partenaires-et-organisations"
partner="/partenaires/$PARTNER"
mkdir -p "$work/www/partenaires"
curl -sf "http://127.0.0.1:$APP_PORT$hub" -o "$work/www$hub.html"
curl -sf "http://127.0.0.1:$APP_PORT$partner" -o "$work/www$partner.html"

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type text/html;
  client_body_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
    location / { try_files \$uri.html =404; }
  }
}
CONF
mkdir -p "$work/tmp"
"$NGINX" -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$NGINX_PORT$hub" >/dev/null && break
  sleep 0.1
done
cmp <(curl -sf "http://127.0.0.1:$APP_PORT$hub") <(curl -sf "http://127.0.0.1:$NGINX_PORT$hub")

# wrk prints "Requests/sec: N" and, with --latency, the "99%" percentile.
measure() {
  local out
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")"
  local rps p99
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  echo "$rps $p99"
}

declare -A RPS P99
for target in hub partner; do
  path="$hub"; [ "$target" = partner ] && path="$partner"
  read -r RPS[app_$target] P99[app_$target] < <(measure "http://127.0.0.1:$APP_PORT$path")
  read -r RPS[nginx_$target] P99[nginx_$target] < <(measure "http://127.0.0.1:$NGINX_PORT$path")
done

load="$(awk '{print $1", "$2", "$3}' /proc/loadavg)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
size_hub="$(stat -c %s "$work/www$hub.html")"
size_partner="$(stat -c %s "$work/www$partner.html")"

section="$(cat <<MD
<!-- portal-throughput:start (written by bench/portal/run.sh) -->
## Portal throughput: paradiplo against nginx

\`bench/portal/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on loopback;
nginx serves the very same bytes as static files (no compression on either side).
Release build, SQLite, the bundled Québec registry, default \`[site] freshness_ms\` (1000).
Load average when the run ended: $load (other work shares this machine).

| page | bytes | paradiplo req/s | paradiplo p99 | nginx req/s | nginx p99 | paradiplo / nginx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| hub \`$hub\` | $size_hub | ${RPS[app_hub]} | ${P99[app_hub]} | ${RPS[nginx_hub]} | ${P99[nginx_hub]} | $(ratio "${RPS[app_hub]}" "${RPS[nginx_hub]}") |
| partner \`$partner\` | $size_partner | ${RPS[app_partner]} | ${P99[app_partner]} | ${RPS[nginx_partner]} | ${P99[nginx_partner]} | $(ratio "${RPS[app_partner]}" "${RPS[nginx_partner]}") |

Target: paradiplo at 50 % or more of nginx's requests/s. wrk, nginx and
paradiplo share the same cores, so absolute numbers say little; the ratio is
the figure to follow.
<!-- portal-throughput:end -->
MD
)"
doc=docs/benchmarks.md
[ -f "$doc" ] || printf '# Benchmarks\n\nEach section is written by the command it names.\n' >"$doc"
python3 - "$doc" "$section" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
pattern = re.compile(r"<!-- portal-throughput:start.*?portal-throughput:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section + "\n"
open(path, "w", encoding="utf-8").write(text)
PY
echo "$section"
