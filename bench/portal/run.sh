#!/usr/bin/env bash
# Throughput of the public portal against nginx serving the very same bytes,
# as browsers ask (Accept-Encoding: gzip, deflate, br) and uncompressed.
#
#   bench/portal/run.sh            # build (release), measure, write docs/benchmarks.md
#   DURATION=20 CONNECTIONS=64 bench/portal/run.sh
#   SKIP_BUILD=1 LEVELS=0 bench/portal/run.sh   # reuse target/release, no level table
#
# Serves the bundled registry with a release build of paradiplo, captures the
# hub, a partner page and an agreement page to static files (plus a gzip -9
# copy of each, which nginx sends with `gzip_static`), serves those with nginx
# on another loopback port (`keepalive_requests` raised, so that nginx does not
# close every 1,000th connection), and runs wrk against both in the same run:
# with the browsers' Accept-Encoding, with `gzip` alone (the same coding on
# both sides) and with none. Everything stays on 127.0.0.1 and stops by
# itself. Needs nginx and wrk (apt-get install nginx-light wrk; installed here
# when missing). LEVELS=1 (the default) also times every compression level on
# the three pages (the `levels` example of crates/paradiplo-http-cache).
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
APP_PORT="${APP_PORT:-18181}"
NGINX_PORT="${NGINX_PORT:-18182}"
PARTNER="${PARTNER:-baviere}"
AGREEMENT="${AGREEMENT:-aecg}"
LEVELS="${LEVELS:-1}"
BROWSER="gzip, deflate, br"

for tool in nginx wrk; do
  if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk
  fi
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release -p paradiplo
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

declare -A PATHS=(
  [hub]="/partenaires-et-organisations"
  [partner]="/partenaires/$PARTNER"
  [agreement]="/ententes/$AGREEMENT"
)
TARGETS=(hub partner agreement)
declare -A SIZE SIZE_BR SIZE_GZ MISS HIT
for t in "${TARGETS[@]}"; do
  p="${PATHS[$t]}"
  mkdir -p "$(dirname "$work/www$p")"
  curl -sf "http://127.0.0.1:$APP_PORT$p" -o "$work/www$p.html"
  # The first brotli answer pays the one compression (the page itself is
  # already rendered by the request above); the second is served from memory.
  MISS[$t]="$(curl -sf -H "Accept-Encoding: br" -o "$work/$t.br" -w '%{time_total}' "http://127.0.0.1:$APP_PORT$p")"
  HIT[$t]="$(curl -sf -H "Accept-Encoding: br" -o /dev/null -w '%{time_total}' "http://127.0.0.1:$APP_PORT$p")"
  curl -sf -H "Accept-Encoding: gzip" "http://127.0.0.1:$APP_PORT$p" | gzip -dc | cmp - "$work/www$p.html"
  gzip -9 -n -k "$work/www$p.html"
  SIZE[$t]="$(stat -c %s "$work/www$p.html")"
  SIZE_BR[$t]="$(stat -c %s "$work/$t.br")"
  SIZE_GZ[$t]="$(stat -c %s "$work/www$p.html.gz")"
done

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  default_type text/html;
  client_body_temp_path $work/tmp;
  gzip_static on;
  gzip_vary on;
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
  curl -sf "http://127.0.0.1:$NGINX_PORT${PATHS[hub]}" >/dev/null && break
  sleep 0.1
done
for t in "${TARGETS[@]}"; do
  p="${PATHS[$t]}"
  cmp <(curl -sf "http://127.0.0.1:$APP_PORT$p") <(curl -sf "http://127.0.0.1:$NGINX_PORT$p")
  enc="$(curl -sf -o /dev/null -D - -H "Accept-Encoding: $BROWSER" "http://127.0.0.1:$NGINX_PORT$p" \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" {print $2}')"
  [ "$enc" = gzip ] || { echo "nginx does not send $p precompressed (got '$enc')" >&2; exit 1; }
done

# wrk prints "Requests/sec: N" and, with --latency, the "99%" percentile.
measure() {
  local url="$1" accept="$2" out
  if [ -n "$accept" ]; then
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Accept-Encoding: $accept" "$url")"
  else
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")"
  fi
  if grep -q "Non-2xx" <<<"$out"; then
    echo "wrk saw errors on $url: $out" >&2
    exit 1
  fi
  echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")"
}

declare -A RPS P99
for t in "${TARGETS[@]}"; do
  p="${PATHS[$t]}"
  for mode in browser gzip plain; do
    accept="$BROWSER"
    [ "$mode" = gzip ] && accept="gzip"
    [ "$mode" = plain ] && accept=""
    read -r RPS[app_${t}_$mode] P99[app_${t}_$mode] < <(measure "http://127.0.0.1:$APP_PORT$p" "$accept")
    read -r RPS[nginx_${t}_$mode] P99[nginx_${t}_$mode] < <(measure "http://127.0.0.1:$NGINX_PORT$p" "$accept")
  done
done

load="$(awk '{print $1", "$2", "$3}' /proc/loadavg)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f %%", 100 * a / b }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f ms", 1000 * s }'; }
row() {
  local t="$1" mode="$2"
  echo "| $t \`${PATHS[$t]}\` | ${RPS[app_${t}_$mode]} | ${P99[app_${t}_$mode]} | ${RPS[nginx_${t}_$mode]} | ${P99[nginx_${t}_$mode]} | $(ratio "${RPS[app_${t}_$mode]}" "${RPS[nginx_${t}_$mode]}") |"
}
head='| page | paradiplo req/s | paradiplo p99 | nginx req/s | nginx p99 | paradiplo / nginx |
| --- | ---: | ---: | ---: | ---: | ---: |'
tables=""
for mode in browser gzip plain; do
  case "$mode" in
    browser) title="As browsers ask (\`Accept-Encoding: $BROWSER\`): paradiplo sends brotli, nginx its gzip -9 file";;
    gzip) title="\`Accept-Encoding: gzip\` alone: both send gzip -9";;
    plain) title="Uncompressed (no \`Accept-Encoding\`)";;
  esac
  rows="$(for t in "${TARGETS[@]}"; do row "$t" "$mode"; done)"
  tables+="**$title**"$'\n\n'"$head"$'\n'"$rows"$'\n\n'
done
sizes="| page | bytes | brotli (paradiplo) | gzip -9 | first brotli answer (compresses) | next brotli answer (from memory) |
| --- | ---: | ---: | ---: | ---: | ---: |
$(for t in "${TARGETS[@]}"; do echo "| $t | ${SIZE[$t]} | ${SIZE_BR[$t]} | ${SIZE_GZ[$t]} | $(ms "${MISS[$t]}") | $(ms "${HIT[$t]}") |"; done)"

level_table=""
if [ "$LEVELS" = 1 ]; then
  files=()
  for t in "${TARGETS[@]}"; do
    cp "$work/www${PATHS[$t]}.html" "$work/$t.html"
    files+=("$work/$t.html")
  done
  level_table="$(cargo run -q --release -p paradiplo-http-cache --example levels -- "${files[@]}")"
  level_table=$'\n'"What each level costs on these pages (\`cargo run --release -p paradiplo-http-cache --example levels\`, one core, median):"$'\n\n'"$level_table"$'\n'
fi

section="$(cat <<MD
<!-- portal-throughput:start (written by bench/portal/run.sh) -->
## Portal throughput: paradiplo against nginx

\`bench/portal/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),
wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s on loopback, one run each, all in the same run.
nginx $("$NGINX" -v 2>&1 | cut -d/ -f2) serves the very same bytes as static files, with \`gzip_static\`
(a gzip -9 copy of each page) and \`keepalive_requests\` raised.
Release build, SQLite, the bundled Québec registry, default \`[site] freshness_ms\` (1000).
Load average when the run ended: $load (other work shares this machine).

$tables$sizes
$level_table
Target: paradiplo at 80 % or more of nginx's requests/s, compressed and not.
wrk, nginx and paradiplo share the same cores, so absolute numbers say little;
the ratio is the figure to follow.
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
