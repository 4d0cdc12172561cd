#!/bin/sh
# Roster's Temporal server, in three steps that the cluster tests (test/cluster) and compose.yaml
# run alike. Settings come from the environment (see config/base.yaml), plus:
#   TEMPORAL_HOME        the folder holding config/ (default: this script's folder)
#   TEMPORAL_SCHEMA_DIR  go.temporal.io/server's schema/postgresql/v12 (default: $TEMPORAL_HOME/schema)
#   TEMPORAL_ADDRESS     the frontend, for `namespace` (default: 127.0.0.1:$FRONTEND_GRPC_PORT)
#   TEMPORAL_NAMESPACE   the namespace `namespace` creates (default: default)
#   TEMPORAL_SEARCH_ATTRIBUTES  custom search attributes `namespace` adds when missing, as
#                        space-separated Name=Type pairs (Roster's: see compose.yaml)
#
#   temporal.sh schema     creates the two databases when missing and brings their schemas up to date
#   temporal.sh server     runs every Temporal service in this one process
#   temporal.sh namespace  creates the namespace and its search attributes when missing, once the
#                          server answers, and waits until the server serves them
set -eu

TEMPORAL_HOME=${TEMPORAL_HOME:-$(cd "$(dirname "$0")" && pwd)}
TEMPORAL_SCHEMA_DIR=${TEMPORAL_SCHEMA_DIR:-$TEMPORAL_HOME/schema}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
ADDRESS=${TEMPORAL_ADDRESS:-127.0.0.1:${FRONTEND_GRPC_PORT:-7233}}

sql() {
  temporal-sql-tool --plugin postgres12 --ep "${POSTGRES_SEEDS:-127.0.0.1}" -p "${DB_PORT:-5432}" \
    -u "${POSTGRES_USER:-temporal}" --pw "${POSTGRES_PWD:-}" "$@"
}

schema() { # database, schema folder
  # Refused when the database exists: that is fine, the schema steps below are what count.
  sql --db "$1" create-database >/dev/null 2>&1 || true
  # Creates the version tables only (a database set up before keeps its state)...
  sql --db "$1" setup-schema -v 0.0
  # ...and applies every versioned step above the database's current version.
  sql --db "$1" update-schema -d "$TEMPORAL_SCHEMA_DIR/$2/versioned"
}

case "${1:-server}" in
  schema)
    schema "${DBNAME:-temporal}" temporal
    schema "${VISIBILITY_DBNAME:-temporal_visibility}" visibility
    ;;
  server)
    if [ "${BIND_ON_IP:-127.0.0.1}" = 0.0.0.0 ] && [ -z "${TEMPORAL_BROADCAST_ADDRESS:-}" ]; then
      # Listening on every address: the services tell each other this host's own.
      TEMPORAL_BROADCAST_ADDRESS=$(hostname -i | cut -d' ' -f1)
      export TEMPORAL_BROADCAST_ADDRESS
    fi
    # No authorizer: the frontend is for Roster's processes on a private network only.
    exec temporal-server --root "$TEMPORAL_HOME" --config config --allow-no-auth start
    ;;
  namespace)
    tries=0
    until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
      tries=$((tries + 1))
      [ "$tries" -lt 120 ] || { echo "Temporal at $ADDRESS did not answer" >&2; exit 1; }
      sleep 0.5
    done
    if ! temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
      temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" \
        --retention "${TEMPORAL_NAMESPACE_RETENTION:-72h}"
    fi
    # Registered is not yet usable: the frontend learns of a new namespace within seconds.
    tries=0
    until temporal workflow count --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
      tries=$((tries + 1))
      [ "$tries" -lt 120 ] || { echo "namespace $NAMESPACE not usable at $ADDRESS" >&2; exit 1; }
      sleep 0.5
    done
    known=$(temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" -o json)
    for pair in ${TEMPORAL_SEARCH_ATTRIBUTES:-}; do
      name=${pair%%=*}
      case "$known" in *"\"$name\""*) continue ;; esac
      temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" \
        --name "$name" --type "${pair#*=}"
      # Usable once a query may name it.
      tries=0
      until temporal workflow count --address "$ADDRESS" --namespace "$NAMESPACE" \
        --query "$name IS NULL" >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 120 ] || { echo "search attribute $name not usable at $ADDRESS" >&2; exit 1; }
        sleep 0.5
      done
    done
    ;;
  *)
    echo "usage: $0 schema | server | namespace" >&2
    exit 64
    ;;
esac
