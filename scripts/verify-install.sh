#!/usr/bin/env bash
# Installs the Release Manager packages into a fresh Backstage app, the way a
# platform team would, and checks that the app type-checks, builds, boots and
# answers on the release routes. On demand, not part of CI (it downloads a
# whole Backstage app: about 5 minutes on a 2-core machine).
#
#   scripts/verify-install.sh > /tmp/verify-install.log 2>&1
#
# Steps:
#   1. build and `yarn pack` every plugins/* package that is not private, and
#      check each tarball (dist, types for every export, config schema,
#      migrations, README, no workspace: ranges);
#   2. `npx @backstage/create-app` (new frontend system app), then bring it to
#      the plugins' Backstage release line as the backend README says;
#   3. follow the READMEs: the install commands, `backend.add(...)`, the
#      config snippets, the entity annotation and the CI token are taken from
#      the READMEs' code blocks (scripts/verify-install/helpers.js snippet);
#      the only change is that the packages come from the tarballs (`file:`
#      resolutions in the app's package.json) since they are not on npm;
#   4. type-check the app, plus the READMEs' TypeScript snippets (new and legacy
#      frontend system, the provider module, every import) against the
#      installed packages; build the frontend;
#   5. boot the backend on port $VERIFY_INSTALL_PORT (7150) with SQLite in
#      memory and check the routes: health, 401 without a token, the pipeline
#      of the annotated entity (the README's four phases), creating a release
#      with the CI token (201, 409 again, 400 for a bad version), a promotion
#      to dev by the signed-in owner (202) that the simulated provider deploys,
#      QA auto-promoted after it, the scaffolder module's actions listed (when
#      the module is among the packed packages), and the built app served with
#      the plugin in it.
#
# Environment:
#   VERIFY_INSTALL_DIR     work directory (default: a new /tmp/release-verify-install.*)
#   VERIFY_INSTALL_PORT    backend port (default 7150)
#   CREATE_APP_VERSION     @backstage/create-app version (default 0.9.2, the newest published)
#   VERIFY_INSTALL_KEEP=1  keep the work directory afterwards
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
HELPERS="node $REPO/scripts/verify-install/helpers.js"
WORK=${VERIFY_INSTALL_DIR:-$(mktemp -d /tmp/release-verify-install.XXXXXX)}
PORT=${VERIFY_INSTALL_PORT:-7150}
CREATE_APP_VERSION=${CREATE_APP_VERSION:-0.9.2}
APP="$WORK/app"
PACKS="$WORK/packs"
BASE="http://localhost:$PORT"
BE_README="$REPO/plugins/release-backend/README.md"
FE_README="$REPO/plugins/release-frontend/README.md"
NODE_README="$REPO/plugins/release-node/README.md"

export YARN_ENABLE_IMMUTABLE_INSTALLS=false
export YARN_ENABLE_TELEMETRY=0
export BACKSTAGE_CLI_TELEMETRY=0

start=$(date +%s)
checks=()
backend_pid=
step() { echo; echo "=== [$(($(date +%s) - start))s] $*"; }
ok() { checks+=("$*"); echo "ok: $*"; }
fail() {
  echo "verify-install: FAILED: $*" >&2
  echo "work directory: $WORK" >&2
  exit 1
}
cleanup() {
  if [ -n "$backend_pid" ] && kill -0 "$backend_pid" 2>/dev/null; then
    kill -TERM -- "-$backend_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$backend_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$backend_pid" 2>/dev/null || true
  fi
  if [ -z "${VERIFY_INSTALL_KEEP:-}" ] && [ -z "${VERIFY_INSTALL_DIR:-}" ] && [ "${verify_ok:-}" = 1 ]; then
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

# curl helper: http_call METHOD PATH [TOKEN] [BODY] -> sets $status and $body
http_call() {
  local method=$1 path=$2 token=${3:-} data=${4:-}
  local args=(-sS -o "$WORK/response" -w '%{http_code}' -X "$method" "$BASE$path")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$data" ] && args+=(-H 'Content-Type: application/json' --data "$data")
  status=$(curl "${args[@]}" || echo 000)
  body=$(cat "$WORK/response" 2>/dev/null || true)
}
json() { node -e "const v=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log(($1)(v))" <<<"$body"; }

# The whole run is one function, so that bash has read all of it before it
# starts (editing the file during a run cannot break the run).
main() {
  mkdir -p "$PACKS"
  echo "work directory: $WORK"

  # ---------------------------------------------------------------------------
  step "1. build and pack the publishable packages"
  (cd "$REPO" && yarn tsc) # the type declarations the package builds bundle
  resolutions=()
  while IFS=$'\t' read -r dir name version; do
    file="$PACKS/$(echo "${name#@}" | tr / -)-$version.tgz"
    (cd "$dir" && yarn build && yarn pack --out "$file") >"$PACKS/$(basename "$dir").log" 2>&1 ||
      fail "build or pack of $name failed, see $PACKS/$(basename "$dir").log"
    $HELPERS check-tarball "$dir" "$file" || fail "tarball of $name"
    resolutions+=("$name=$file")
    declare -g "version_of_$(echo "$name" | tr -c 'a-zA-Z0-9\n' _)=$version"
  done < <($HELPERS packages)
  [ ${#resolutions[@]} -ge 4 ] || fail "expected at least 4 publishable packages"
  ok "packed ${#resolutions[@]} packages: $(printf '%s ' "${resolutions[@]%%=*}")"
  version_of() { local v="version_of_$(echo "$1" | tr -c 'a-zA-Z0-9\n' _)"; echo "${!v:-}"; }

  # ---------------------------------------------------------------------------
  step "2. create a Backstage app with @backstage/create-app@$CREATE_APP_VERSION"
  (cd "$WORK" && BACKSTAGE_APP_NAME=verify-app npx --yes "@backstage/create-app@$CREATE_APP_VERSION" --skip-install --path "$APP") ||
    fail "create-app failed"
  cd "$APP"
  grep -qE '^\s+packages: all' app-config.yaml || fail "the created app does not use feature discovery (app.packages: all)"
  grep -q "@backstage/frontend-defaults" packages/app/src/App.tsx || fail "the created app is not a new frontend system app"
  ok "created a new frontend system app (create-app $CREATE_APP_VERSION, backstage.json $(node -p "require('./backstage.json').version"))"

  # The packages are not on npm: the app resolves them to the tarballs.
  $HELPERS resolutions package.json "${resolutions[@]}"

  # The backend README: bring the app to the plugins' release line first.
  grep -q "yarn up '@backstage/\*'" "$BE_README" || fail "the backend README no longer says how to bump the app"
  yarn up '@backstage/*' >"$WORK/yarn-up.log" 2>&1 || { tail -50 "$WORK/yarn-up.log"; fail "yarn up '@backstage/*' failed"; }
  ok "bumped the app to the newest Backstage packages on npm ($(node -p "require('./node_modules/@backstage/backend-defaults/package.json').version") backend-defaults, $(node -p "require('./node_modules/@backstage/frontend-plugin-api/package.json').version") frontend-plugin-api)"

  # ---------------------------------------------------------------------------
  step "3. follow the READMEs"
  be_name=@release-manager/backstage-plugin-release-backend
  fe_name=@release-manager/backstage-plugin-release

  cmd=$($HELPERS snippet "$BE_README" sh "add $be_name")
  [ "$cmd" = "yarn --cwd packages/backend add $be_name" ] || fail "unexpected backend install command: $cmd"
  echo "+ $cmd@^$(version_of $be_name)"
  $cmd@^"$(version_of $be_name)" >"$WORK/add-backend.log" 2>&1 || { tail -50 "$WORK/add-backend.log"; fail "$cmd"; }

  lines=$($HELPERS add-to-backend packages/backend/src/index.ts "$BE_README" "backend.add(import('$be_name'))")
  grep -qF "import('$be_name')" packages/backend/src/index.ts || fail "could not add the plugin to packages/backend/src/index.ts"
  ok "backend: '$cmd' and '$lines' (from the backend README)"

  # The scaffolder module, when it is one of the packed packages (its README).
  sc_name=@release-manager/backstage-plugin-scaffolder-backend-module-release
  sc_readme="$REPO/plugins/scaffolder-backend-module-release/README.md"
  if [ -n "$(version_of $sc_name)" ]; then
    cmd=$($HELPERS snippet "$sc_readme" sh "add $sc_name")
    [ "$cmd" = "yarn --cwd packages/backend add $sc_name" ] || fail "unexpected scaffolder module install command: $cmd"
    echo "+ $cmd@^$(version_of $sc_name)"
    $cmd@^"$(version_of $sc_name)" >"$WORK/add-scaffolder.log" 2>&1 || { tail -50 "$WORK/add-scaffolder.log"; fail "$cmd"; }
    lines=$($HELPERS add-to-backend packages/backend/src/index.ts "$sc_readme" "import('$sc_name')")
    grep -qF "'$sc_name'" packages/backend/src/index.ts || fail "could not add the scaffolder module to packages/backend/src/index.ts"
    ok "scaffolder module: '$cmd' and $(echo "$lines" | tr -s ' \n' ' ')(from its README; the app has the scaffolder backend already)"
  fi

  cmd=$($HELPERS snippet "$FE_README" sh "add $fe_name")
  [ "$cmd" = "yarn --cwd packages/app add $fe_name" ] || fail "unexpected frontend install command: $cmd"
  echo "+ $cmd@^$(version_of $fe_name)"
  $cmd@^"$(version_of $fe_name)" >"$WORK/add-frontend.log" 2>&1 || { tail -50 "$WORK/add-frontend.log"; fail "$cmd"; }
  grep -q 'With feature discovery (`app.packages: all`' "$FE_README" || fail "the frontend README no longer describes feature discovery"
  ok "frontend: '$cmd'; the app discovers it (app.packages: all), nothing else to add (frontend README, new frontend system)"

  dups=$(grep -E '^"@backstage/[^@]+@' yarn.lock | sed -E 's/^"(@backstage\/[^@]+)@.*/\1/' | sort | uniq -c | awk '$1 > 1 {print $2}')
  [ -z "$dups" ] || fail "the app resolves these @backstage packages more than once: $dups"
  ok "one version of every @backstage package in the app ($(grep -cE '^"@backstage/' yarn.lock) packages)"

  # Config from the backend README, each snippet its own config file.
  $HELPERS snippet "$BE_README" yaml 'pipelines:' >app-config.release-pipelines.yaml
  $HELPERS snippet "$BE_README" yaml 'key: ${RELEASE_SECRETS_KEY} # required outside development' >app-config.release-secrets.yaml
  $HELPERS snippet "$BE_README" yaml 'externalAccess:' >app-config.release-ci.yaml
  $HELPERS snippet "$BE_README" yaml 'release.backstage.io/pipeline: default' >"$WORK/annotation.yaml"
  $HELPERS annotate examples/entities.yaml Component example-website "$WORK/annotation.yaml"
  grep -q 'release.backstage.io/pipeline: default' examples/entities.yaml || fail "annotation not added"
  # What this check needs on top, not from the READMEs: its own port, the guest
  # user from examples/org.yaml (member of the owner group `guests`), short
  # simulated deployments.
  cat >app-config.verify.yaml <<EOF
app:
  baseUrl: $BASE
backend:
  baseUrl: $BASE
  listen:
    port: $PORT
  cors:
    origin: $BASE
auth:
  providers:
    guest:
      userEntityRef: user:default/guest
release:
  providers:
    simulated:
      durationMs: 3000
EOF
  ok "config: the README's example pipelines, secrets key and CI token; example-website annotated with the README's snippet"

  # ---------------------------------------------------------------------------
  step "4. type-check the app and the READMEs' snippets, build the frontend"
  yarn tsc >"$WORK/tsc.log" 2>&1 || { tail -50 "$WORK/tsc.log"; fail "yarn tsc of the app failed"; }
  ok "yarn tsc (the app with the plugins installed)"

  mkdir -p readme-check
  $HELPERS imports "$BE_README" "$FE_README" "$NODE_README" "$REPO/plugins/release-common/README.md" >readme-check/imports.ts
  $HELPERS snippet "$FE_README" tsx "import releasePlugin from '$fe_name/alpha'" >readme-check/new-frontend-system.tsx
  {
    cat <<'EOF'
import Grid from '@material-ui/core/Grid';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { SidebarItem } from '@backstage/core-components';
import { FlatRoutes } from '@backstage/core-app-api';
import { EntityLayout, EntitySwitch } from '@backstage/plugin-catalog';
import { Route } from 'react-router-dom';
EOF
    $HELPERS snippets "$FE_README" tsx "from '$fe_name';"
  } >readme-check/legacy-frontend-system.tsx
  $HELPERS snippet "$NODE_README" ts 'createBackendModule' >readme-check/provider-module.ts
  cat >readme-check/tsconfig.json <<'EOF'
{
  "extends": "../tsconfig.json",
  "include": ["."],
  "compilerOptions": { "noEmit": true, "noUnusedLocals": false, "rootDir": ".." }
}
EOF
  (cd readme-check && ../node_modules/.bin/tsc -p tsconfig.json) >"$WORK/readme-tsc.log" 2>&1 ||
    { cat "$WORK/readme-tsc.log"; fail "the READMEs' TypeScript snippets do not compile against the installed packages"; }
  ok "the READMEs' snippets compile against the packed types: new frontend system App.tsx, legacy EntityPage/App/Root, provider module, $(grep -c '^import' readme-check/imports.ts) import statements"

  yarn workspace app build >"$WORK/app-build.log" 2>&1 || { tail -50 "$WORK/app-build.log"; fail "yarn workspace app build failed"; }
  grep -lq 'release.backstage.io/pipeline' packages/app/dist/static/*.js || fail "the built app does not contain the release plugin"
  ok "yarn workspace app build; the bundle contains the release plugin"

  # ---------------------------------------------------------------------------
  step "5. boot the backend on port $PORT and call the release routes"
  export RELEASE_SECRETS_KEY=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
  export RELEASE_CI_TOKEN=$(node -e "console.log(require('crypto').randomBytes(24).toString('hex'))")
  configs=()
  for f in app-config.yaml app-config.release-pipelines.yaml app-config.release-secrets.yaml app-config.release-ci.yaml app-config.verify.yaml; do
    configs+=(--config "$APP/$f")
  done
  setsid yarn workspace backend start "${configs[@]}" >"$WORK/backend.log" 2>&1 &
  backend_pid=$!
  ready=
  for _ in $(seq 1 180); do
    kill -0 "$backend_pid" 2>/dev/null || { tail -80 "$WORK/backend.log"; fail "the backend exited"; }
    if curl -fsS "$BASE/.backstage/health/v1/readiness" >/dev/null 2>&1; then ready=1; break; fi
    sleep 2
  done
  [ -n "$ready" ] || { tail -80 "$WORK/backend.log"; fail "the backend did not become ready"; }
  grep -q "Plugin initialization complete" "$WORK/backend.log" || true
  ok "backend ready on $BASE ($(grep -c "release" "$WORK/backend.log") log lines mention release)"

  entity=/api/release/entities/component/default/example-website
  http_call GET "$entity/pipeline"
  [ "$status" = 401 ] || fail "GET pipeline without a token answered $status, expected 401: $body"
  ok "GET pipeline without a token: 401"

  # The guest user, signed in through the app's guest provider. Until the
  # catalog has read examples/org.yaml the sign-in falls back to a token
  # without the user's groups: wait for one that names group:default/guests
  # (the owner of example-website).
  guest=
  for _ in $(seq 1 90); do
    guest=$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$BASE/api/auth/guest/refresh?env=development" 2>/dev/null |
      node -e "
        try {
          const { token, identity } = JSON.parse(require('fs').readFileSync(0, 'utf8')).backstageIdentity;
          if (identity.ownershipEntityRefs.includes('group:default/guests')) console.log(token);
        } catch {}" || true)
    [ -n "$guest" ] && break
    sleep 2
  done
  [ -n "$guest" ] || fail "could not sign in as user:default/guest, member of group:default/guests"
  ok "signed in as user:default/guest (owns through group:default/guests) with the app's guest provider"

  # The catalog ingests the examples shortly after start.
  for _ in $(seq 1 60); do
    http_call GET "$entity/pipeline" "$guest"
    [ "$status" = 200 ] && break
    sleep 2
  done
  [ "$status" = 200 ] || fail "GET pipeline answered $status: $body"
  phases=$(json 'v => v.phases.map(p => p.id).join(",")')
  [ "$phases" = "dev,qa,stage,live" ] || fail "pipeline phases are $phases"
  ok "GET pipeline as user:default/guest: 200 with phases $phases (template $(json 'v => v.template'))"

  http_call POST "$entity/releases" "$RELEASE_CI_TOKEN" '{"version":"1.0.0","artifact":"ghcr.io/acme/example-website@sha256:0123456789abcdef","commit":"9f1c2d3","notes":"first"}'
  [ "$status" = 201 ] || fail "POST release with the CI token answered $status: $body"
  ok "POST release 1.0.0 with the CI token (README's external access): 201, created by $(json 'v => v.createdBy')"
  http_call POST "$entity/releases" "$RELEASE_CI_TOKEN" '{"version":"1.0.0","artifact":"ghcr.io/acme/example-website@sha256:0123456789abcdef"}'
  [ "$status" = 409 ] || fail "POST the same release again answered $status: $body"
  http_call POST "$entity/releases" "$RELEASE_CI_TOKEN" '{"version":"not-semver","artifact":"x"}'
  [ "$status" = 400 ] || fail "POST a bad version answered $status: $body"
  ok "the same version again: 409; a version that is not semver: 400"

  http_call POST "$entity/promotions" "$guest" '{"version":"1.0.0","phase":"dev","comment":"verify-install"}'
  [ "$status" = 202 ] || fail "POST promotion to dev answered $status: $body"
  ok "POST promotion 1.0.0 -> dev as the owner: 202 ($(json 'v => v.status'))"

  deployed=
  for _ in $(seq 1 60); do
    http_call GET "$entity/pipeline" "$guest"
    if [ "$status" = 200 ] && [ "$(json 'v => { const d = v.phases.find(p => p.id === "dev"); const q = v.phases.find(p => p.id === "qa"); return (d.current && d.current.version === "1.0.0") && !!(q.active || q.current || q.pending.length) }')" = true ]; then
      deployed=1
      break
    fi
    sleep 2
  done
  [ -n "$deployed" ] || fail "1.0.0 did not reach dev (and QA was not auto-promoted): $body"
  ok "the simulated provider deployed 1.0.0 to dev; QA was auto-promoted (autoPromote: true in the README's pipeline)"

  if [ -n "$(version_of $sc_name)" ]; then
    http_call GET /api/scaffolder/v2/actions "$guest"
    [ "$status" = 200 ] || fail "GET scaffolder actions answered $status"
    found=$(json 'v => v.map(a => a.id).filter(id => id.startsWith("release:")).sort().join(",")')
    [ "$found" = "release:create,release:promote" ] || fail "scaffolder actions of the module: '$found'"
    ok "the scaffolder lists the module's actions: $found"
  fi

  http_call GET "$entity/history" "$guest"
  [ "$status" = 200 ] || fail "GET history answered $status"
  ok "GET history: 200, $(json 'v => v.items.length') entries"

  http_call GET "/catalog/default/component/example-website/releases"
  [ "$status" = 200 ] && grep -q '<div id="root">' "$WORK/response" || fail "the app is not served: $status"
  ok "the built app is served by the backend ($BASE)"

  verify_ok=1
  elapsed=$(($(date +%s) - start))
  echo
  echo "=== verify-install passed in $((elapsed / 60))m$((elapsed % 60))s"
  printf '  - %s\n' "${checks[@]}"
}

main "$@"
