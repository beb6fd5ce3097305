# Helpers shared by the bench scripts (sourced, not run): ports, processes, nginx configurations.
# Every process a script starts is recorded with `track PID` and stopped by that PID on exit.

BENCH_TOKEN="bench-0123456789abcdef0123456789abcdef"
SEARCH_PATH="/api/2.0/mlflow/experiments/search?max_results=100"
TRACKED_PIDS=()

track() { TRACKED_PIDS+=("$1"); }

stop_tracked() {
  local pid
  for pid in "${TRACKED_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${TRACKED_PIDS[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  TRACKED_PIDS=()
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 30000 ))
    port_open "$p" || { echo "$p"; return; }
  done
}

wait_port() {
  local i
  for i in $(seq 1 600); do
    port_open "$1" && return 0
    sleep 0.05
  done
  echo "bench: nothing listens on port $1 after 30 s" >&2
  return 1
}

# An MLflow-shaped experiments/search answer, about 2 KB, like a real server's first page.
write_search_json() {
  local file="$1" i sep=""
  {
    printf '{"experiments":['
    for i in $(seq 0 9); do
      printf '%s{"experiment_id":"%d","name":"team-a/experiment-%d","artifact_location":"mlflow-artifacts:/%d","lifecycle_stage":"active","last_update_time":1763900000%03d,"creation_time":1763800000%03d,"tags":[{"key":"mlflow.note.content","value":"benchmark"}]}' "$sep" "$i" "$i" "$i" "$i" "$i"
      sep=","
    done
    printf '],"next_page_token":"eyJvZmZzZXQiOiAxMH0="}\n'
  } > "$file"
}

nginx_common() { # $1 = work dir
  cat <<CONF
daemon off;
worker_processes auto;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
CONF
}

nginx_http_common() { # $1 = work dir
  cat <<CONF
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000; keepalive_timeout 300s;
  client_body_temp_path $1/body; proxy_temp_path $1/proxy-temp;
  fastcgi_temp_path $1/fastcgi; uwsgi_temp_path $1/uwsgi; scgi_temp_path $1/scgi;
CONF
}

# The upstream: static MLflow-shaped JSON, an echo of the Authorization header for a sanity check,
# and artifacts in $3 (PUT through WebDAV, GET as files).
start_upstream() { # $1 = work dir, $2 = port, $3 = artifact dir
  local dir="$1"
  mkdir -p "$dir/www/api/2.0/mlflow/experiments" "$3" "$dir/body"
  write_search_json "$dir/www/api/2.0/mlflow/experiments/search"
  {
    nginx_common "$dir"
    echo "http {"
    nginx_http_common "$dir"
    cat <<CONF
  server {
    listen 127.0.0.1:$2 backlog=4096;
    location / { root $dir/www; default_type application/json; }
    location = /__bench/echo-auth { default_type text/plain; return 200 "\$http_authorization"; }
    location /api/2.0/mlflow-artifacts/artifacts/ {
      alias $3/;
      dav_methods PUT; create_full_put_path on;
      client_max_body_size 0; client_body_buffer_size 1m;
      default_type application/octet-stream;
    }
  }
}
CONF
  } > "$dir/nginx.conf"
  chmod -R a+rwX "$dir" "$3"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  track $!
  wait_port "$2"
}

# The reference: nginx adding the same static header, with keep-alive to the upstream.
start_nginx_reference() { # $1 = work dir, $2 = port, $3 = upstream port
  local dir="$1"
  mkdir -p "$dir/body"
  {
    nginx_common "$dir"
    echo "http {"
    nginx_http_common "$dir"
    cat <<CONF
  upstream mlflow { server 127.0.0.1:$3; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$2 backlog=4096;
    location / {
      proxy_pass http://mlflow;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer $BENCH_TOKEN";
      client_max_body_size 0;
      # Stream large bodies like the project's proxy does, instead of spooling them to temporary files.
      proxy_request_buffering off;
      proxy_max_temp_file_size 0;
    }
  }
}
CONF
  } > "$dir/nginx.conf"
  chmod -R a+rwX "$dir"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  track $!
  wait_port "$2"
}

# The project's proxy, the packaged CLI through bin/mlflow-secrets-auth, with the env provider
# (no secret backend on the path) and a clean environment. Sets PROXY_PID.
start_project_proxy() { # $1 = work dir, $2 = port, $3 = upstream port, $4 = java options
  mkdir -p "$1"
  (cd "$1" && exec env -i PATH="$PATH" HOME="$HOME" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} \
      MLFLOW_SECRETS_AUTH_ENABLE=env MLFLOW_TRACKING_TOKEN="$BENCH_TOKEN" \
      MLFLOW_SECRETS_ALLOWED_HOSTS="127.0.0.1:$3" MLFLOW_SECRETS_LOG_LEVEL=WARNING \
      MLFLOW_SECRETS_AUTH_JAVA_OPTS="$4" \
      "$ROOT/bin/mlflow-secrets-auth" proxy --upstream "http://127.0.0.1:$3" --listen "127.0.0.1:$2") \
      > "$1/proxy.log" 2>&1 &
  PROXY_PID=$!
  track "$PROXY_PID"
  wait_port "$2"
}

# Fails unless the upstream receives the bench credential through $1.
check_header_delivered() { # $1 = port, $2 = label
  local got
  got="$(curl -sS "http://127.0.0.1:$1/__bench/echo-auth")"
  if [ "$got" != "Bearer $BENCH_TOKEN" ]; then
    echo "bench: $2 did not deliver the credential header to the upstream" >&2
    return 1
  fi
}

# CPU time (clock ticks, utime + stime) of the given processes and their direct children (nginx workers).
cpu_ticks() {
  local total=0 pid child
  for pid in "$@"; do
    for child in "$pid" $(pgrep -P "$pid" || true); do
      [ -r "/proc/$child/stat" ] || continue
      total=$(( total + $(awk '{print $14 + $15}' "/proc/$child/stat") ))
    done
  done
  echo "$total"
}

# µs of CPU per request: $1 ticks over $2 requests.
cpu_us_per_request() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }'; }

# Resident memory of a process and its direct children (nginx's workers), in KiB.
rss_kib() {
  local total=0 pid child v
  for pid in "$@"; do
    for child in "$pid" $(pgrep -P "$pid" || true); do
      v=$(awk '/^VmRSS:/ {print $2}' "/proc/$child/status" 2>/dev/null || true)
      [ -n "$v" ] && total=$(( total + v ))
    done
  done
  echo "$total"
}
