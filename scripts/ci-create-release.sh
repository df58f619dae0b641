#!/usr/bin/env bash
# Creates a release in Backstage's Release Manager from a CI pipeline.
#
#   BACKSTAGE_URL=https://backstage.example.com RELEASE_TOKEN=... \
#     scripts/ci-create-release.sh [--commit SHA] [--notes TEXT | --notes-file FILE] \
#       ENTITY_REF VERSION ARTIFACT
#
# ENTITY_REF   kind:namespace/name (kind defaults to component, namespace to
#              default), e.g. component:default/payments-api or payments-api
# VERSION      the release's semantic version, e.g. 1.4.0
# ARTIFACT     what gets deployed: image digest, package coordinate or commit
#
# BACKSTAGE_URL  the backend's base URL (without /api/release)
# RELEASE_TOKEN  a static external access token (backend.auth.externalAccess)
#                allowed release.pipeline.read and release.release.create
#
# On success prints ENTITY_REF@VERSION (the release's identity) on stdout.
# Exit codes:
#   0  created, or this exact release already exists (same artifact), so a
#      re-run of the same pipeline succeeds
#   1  the API refused the request (message printed), or it could not be reached
#   2  usage error
#   3  the version exists with a different artifact (releases are immutable)
#
# Needs bash, curl (7.55 or newer) and one JSON parser to read the answers:
# jq when it is installed, else node, else python3 (CI images have at least
# one of them). Answers are parsed as JSON whatever their layout (a
# development backend pretty-prints them). The token is passed to curl in a
# file, never on its command line.
set -euo pipefail

# Prints the comment at the top of this file.
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit "${1:-2}"
}

fail() {
  echo "ci-create-release: $1" >&2
  exit "${2:-1}"
}

commit=''
notes=''
has_notes=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --commit)
      [ $# -ge 2 ] || usage
      commit=$2
      shift 2
      ;;
    --notes)
      [ $# -ge 2 ] || usage
      notes=$2
      has_notes=1
      shift 2
      ;;
    --notes-file)
      [ $# -ge 2 ] || usage
      [ -r "$2" ] || fail "cannot read notes file '$2'" 2
      notes=$(cat -- "$2")
      has_notes=1
      shift 2
      ;;
    -h | --help) usage 0 ;;
    --)
      shift
      args+=("$@")
      break
      ;;
    -*) fail "unknown option '$1' (see --help)" 2 ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done
[ ${#args[@]} -eq 3 ] || usage
entity_ref=${args[0]}
version=${args[1]}
artifact=${args[2]}

[ -n "${BACKSTAGE_URL:-}" ] || fail 'BACKSTAGE_URL is not set' 2
[ -n "${RELEASE_TOKEN:-}" ] || fail 'RELEASE_TOKEN is not set' 2
command -v curl >/dev/null || fail 'curl is not installed' 2
[ -n "$version" ] || fail 'VERSION must not be empty' 2
[ -n "$artifact" ] || fail 'ARTIFACT must not be empty' 2

# kind:namespace/name, with the defaults the catalog uses.
kind=component
namespace=default
name=$entity_ref
if [[ $name == *:* ]]; then
  kind=${name%%:*}
  name=${name#*:}
fi
if [[ $name == */* ]]; then
  namespace=${name%%/*}
  name=${name#*/}
fi
part='^[A-Za-z0-9][A-Za-z0-9._-]*$'
for p in "$kind" "$namespace" "$name"; do
  [[ $p =~ $part ]] || fail "invalid entity ref '$entity_ref': expected kind:namespace/name" 2
done
kind=$(printf '%s' "$kind" | tr '[:upper:]' '[:lower:]')
namespace=$(printf '%s' "$namespace" | tr '[:upper:]' '[:lower:]')
ref="$kind:$namespace/$name"

# A JSON string literal: control characters other than tab, CR and LF are
# dropped; backslash, quote and those three are escaped.
json_string() {
  local s
  s=$(printf '%s' "$1" | LC_ALL=C tr -d '\000-\010\013\014\016-\037')
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/\\r}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

# json_get PATH: the string at PATH (e.g. .error.message) of the JSON
# document on stdin; nothing when the document is not JSON or holds no
# string there. A real parser reads it: jq, else node, else python3.
if command -v jq >/dev/null 2>&1; then
  json_get() {
    jq -r "try ($1) catch null | if type == \"string\" then . else empty end" \
      2>/dev/null || true
  }
elif command -v node >/dev/null 2>&1; then
  json_get() {
    node -e '
      let s = "";
      process.stdin.on("data", d => (s += d)).on("end", () => {
        try {
          let v = JSON.parse(s);
          for (const k of process.argv[1].split(".").filter(Boolean)) {
            v = v !== null && typeof v === "object" ? v[k] : undefined;
          }
          if (typeof v === "string") process.stdout.write(v);
        } catch {}
      });' "$1" 2>/dev/null || true
  }
elif command -v python3 >/dev/null 2>&1; then
  json_get() {
    python3 -c '
import json, sys
try:
    v = json.load(sys.stdin)
    for k in [p for p in sys.argv[1].split(".") if p]:
        v = v.get(k) if isinstance(v, dict) else None
    if isinstance(v, str):
        sys.stdout.write(v)
except Exception:
    pass' "$1" 2>/dev/null || true
  }
else
  fail 'needs jq, node or python3 to read JSON answers' 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(
  umask 077
  printf 'Authorization: Bearer %s\n' "$RELEASE_TOKEN" >"$tmp/auth"
)

base="${BACKSTAGE_URL%/}/api/release/entities/$kind/$namespace/$name/releases"

# Calls the API; sets $status and $body.
call() {
  local method=$1 url=$2
  shift 2
  if ! status=$(curl -sS --max-time 60 --retry 2 -X "$method" \
    -H @"$tmp/auth" -H 'Accept: application/json' \
    -o "$tmp/body" -w '%{http_code}' "$@" --url "$url"); then
    fail "could not reach $url"
  fi
  body=$(cat "$tmp/body")
}

api_error() {
  local message
  message=$(printf '%s' "$body" | json_get .error.message)
  if [ -n "$message" ]; then
    fail "HTTP $status: $message" "${1:-1}"
  fi
  fail "HTTP $status: ${body:0:500}" "${1:-1}"
}

{
  printf '{"version":%s,"artifact":%s' \
    "$(json_string "$version")" "$(json_string "$artifact")"
  [ -z "$commit" ] || printf ',"commit":%s' "$(json_string "$commit")"
  [ "$has_notes" = 0 ] || printf ',"notes":%s' "$(json_string "$notes")"
  printf '}'
} >"$tmp/request.json"

call POST "$base" -H 'Content-Type: application/json' \
  --data-binary @"$tmp/request.json"

case "$status" in
  201)
    echo "Created release $version of $ref" >&2
    echo "$ref@$version"
    ;;
  409)
    # The version exists: fine if it is this very release (a re-run).
    conflict_status=$status conflict_body=$body
    encoded=${version//+/%2B}
    call GET "$base/$encoded"
    if [ "$status" = 404 ]; then
      # Another release of the same version (e.g. other build metadata):
      # the conflict's message names it.
      status=$conflict_status body=$conflict_body
      api_error 3
    fi
    [ "$status" = 200 ] || api_error
    existing=$(printf '%s' "$body" | json_get .artifact)
    [ -n "$existing" ] || fail "HTTP $status: the answer holds no artifact: ${body:0:500}"
    # Compared with what was sent (json_string drops control characters).
    wanted=$(printf '%s' "$artifact" | LC_ALL=C tr -d '\000-\010\013\014\016-\037')
    if [ "$existing" = "$wanted" ]; then
      echo "Release $version of $ref already exists with this artifact" >&2
      echo "$ref@$version"
    else
      fail "release $version of $ref already exists with another artifact ($existing); releases are immutable, use a new version" 3
    fi
    ;;
  *) api_error ;;
esac
