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
# Needs bash and curl (7.55 or newer) only. The token is passed to curl in a
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

# The first "key":"string" of a JSON document, as a JSON string literal
# (empty when there is none). Backstage's answers are simple enough for this,
# and CI images rarely have jq.
json_field() {
  { printf '%s' "$2" | tr -d '\n' |
    grep -o -E "\"$1\":\"([^\"\\\\]|\\\\.)*\"" |
    head -n 1 | sed -E "s/^\"$1\"://"; } || true
}

# The text of a JSON string literal (\uXXXX escapes are left as they are).
json_text() {
  local s=${1#\"} bs=$'\001'
  s=${s%\"}
  s=${s//\\\\/$bs}
  s=${s//\\n/$'\n'}
  s=${s//\\r/}
  s=${s//\\t/$'\t'}
  s=${s//\\\"/\"}
  s=${s//\\\//\/}
  s=${s//$bs/\\}
  printf '%s' "$s"
}

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
  message=$(json_field message "$body")
  if [ -n "$message" ]; then
    fail "HTTP $status: $(json_text "$message")"
  fi
  fail "HTTP $status: ${body:0:500}"
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
    wanted=$(json_string "$artifact")
    encoded=${version//+/%2B}
    call GET "$base/$encoded"
    [ "$status" = 200 ] || api_error
    existing=$(json_field artifact "$body")
    if [ "$existing" = "$wanted" ]; then
      echo "Release $version of $ref already exists with this artifact" >&2
      echo "$ref@$version"
    else
      fail "release $version of $ref already exists with another artifact ($(json_text "$existing")); releases are immutable, use a new version" 3
    fi
    ;;
  *) api_error ;;
esac
