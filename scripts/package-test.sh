#!/usr/bin/env bash
# The Debian package installed, started and removed on this machine (`make test`, as root):
# 1. `apt-get install ./exemplar_*.deb`: the exemplar system user, the files in place, the
#    configuration readable by the service's group only, the unit valid (systemd-analyze);
# 2. the service started as the unit starts it: with systemd, `systemctl start exemplar`;
#    on a machine without systemd running (a container) the unit's own User, WorkingDirectory,
#    Environment and ExecStart lines, read from the installed unit; it must answer /readyz,
#    serve a page with its stylesheet, and the command line must work against its database;
# 3. `dpkg --purge exemplar`: binary, unit, configuration, completions and manual gone, data
#    kept. The machine is left as it was found (the user and the data are removed last).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "package-test: SKIPPED: installing a package needs root (run make test as root, as CI does)"
  exit 0
fi
if dpkg -s exemplar >/dev/null 2>&1; then
  echo "package-test: exemplar is already installed on this machine; not touching it"
  exit 1
fi
./scripts/package.sh >/tmp/exemplar-package.log 2>&1 || { cat /tmp/exemplar-package.log; exit 1; }
deb=$(ls target/package/exemplar_*.deb)
fail() { echo "package-test: FAILED: $*"; exit 1; }
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  if [ -d /run/systemd/system ]; then systemctl stop exemplar 2>/dev/null || true; fi
  dpkg --purge exemplar >/dev/null 2>&1 || true
  rm -rf /var/lib/exemplar
  getent passwd exemplar >/dev/null && userdel exemplar 2>/dev/null || true
  getent group exemplar >/dev/null && groupdel exemplar 2>/dev/null || true
}
trap cleanup EXIT

echo "package-test: installing $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$deb" >/tmp/exemplar-install.log 2>&1 \
  || { cat /tmp/exemplar-install.log; fail "the package does not install"; }
getent passwd exemplar | grep -q ':/var/lib/exemplar:' || fail "no exemplar system user"
[ "$(stat -c '%U:%G %a' /var/lib/exemplar)" = "exemplar:exemplar 750" ] || fail "/var/lib/exemplar: $(stat -c '%U:%G %a' /var/lib/exemplar)"
[ "$(stat -c '%U:%G %a' /etc/exemplar/exemplar.toml)" = "root:exemplar 640" ] || fail "/etc/exemplar/exemplar.toml: $(stat -c '%U:%G %a' /etc/exemplar/exemplar.toml)"
for f in /usr/bin/exemplar /lib/systemd/system/exemplar.service /usr/share/exemplar/site/manifest.json \
  /usr/share/exemplar/frameworks/exemplar-2015.toml /usr/share/doc/exemplar/exemplar.toml.example \
  /usr/share/bash-completion/completions/exemplar /usr/share/man/man1/exemplar.1.gz \
  /usr/share/man/man1/exemplar-serve.1.gz; do
  [ -e "$f" ] || fail "$f is not installed"
done
unit=/lib/systemd/system/exemplar.service
systemd-analyze verify "$unit" 2>&1 | grep -v "^$" | grep -iv "Failed to create /init.scope\|Cannot find unit\|not running\|runtime directory" \
  | tee /tmp/exemplar-unit.log || true
[ ! -s /tmp/exemplar-unit.log ] || fail "systemd-analyze verify finds problems in the unit"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ -d /run/systemd/system ]; then
  mkdir -p /run/systemd/system/exemplar.service.d
  printf '[Service]\nEnvironment=EXEMPLAR_ADDR=127.0.0.1:%s\n' "$port" >/run/systemd/system/exemplar.service.d/test.conf
  systemctl daemon-reload && systemctl restart exemplar
else
  # What systemd would run: the installed unit's own lines.
  get() { sed -n "s/^$1=//p" "$unit"; }
  user=$(get User); dir=$(get WorkingDirectory); exec_start=$(get ExecStart)
  envs=(); while read -r e; do envs+=("$e"); done < <(get Environment)
  (cd "$dir" && exec setpriv --reuid="$user" --regid="$user" --init-groups \
      env -i PATH=/usr/bin:/bin "${envs[@]}" EXEMPLAR_ADDR="127.0.0.1:$port" $exec_start) \
      >/tmp/exemplar-service.json 2>/tmp/exemplar-service.log &
  server=$!
fi
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$base/readyz" >/dev/null || { cat /tmp/exemplar-service.log /tmp/exemplar-service.json 2>/dev/null; fail "the service does not answer /readyz"; }
page=$(curl -fsS "$base/")
css=$(grep -o '/pkg/[^"]*\.css' <<<"$page" | head -1)
[ -n "$css" ] && curl -fsS -o /dev/null "$base$css" || fail "the home page or its stylesheet ($css) is not served"
[ -f /var/lib/exemplar/exemplar.db ] && [ "$(stat -c %U /var/lib/exemplar/exemplar.db)" = exemplar ] \
  || fail "the database is not in /var/lib/exemplar, owned by the service"
if [ -n "$server" ]; then
  # EXEMPLAR_LOG_FORMAT=json from the unit: standard output is JSON lines and nothing else.
  python3 -c 'import json,sys; n=[json.loads(l) for l in open(sys.argv[1])]; assert n, "no log lines"' \
    /tmp/exemplar-service.json || fail "the service's standard output is not JSON lines"
fi
setpriv --reuid=exemplar --regid=exemplar --init-groups env EXEMPLAR_CONFIG=/etc/exemplar/exemplar.toml \
  sh -c 'cd /var/lib/exemplar && exemplar framework list' | grep -q exemplar-2015 \
  || fail "the command line does not reach the service's database"
echo "package-test: installed, started as the unit says, answered /readyz and served pages"
[ -n "$server" ] && { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
if [ -d /run/systemd/system ]; then systemctl stop exemplar; rm -rf /run/systemd/system/exemplar.service.d; fi

dpkg --purge exemplar >/tmp/exemplar-purge.log 2>&1 || { cat /tmp/exemplar-purge.log; fail "the package does not purge"; }
for f in /usr/bin/exemplar "$unit" /etc/exemplar/exemplar.toml /usr/share/exemplar \
  /usr/share/bash-completion/completions/exemplar /usr/share/man/man1/exemplar.1.gz; do
  [ ! -e "$f" ] || fail "$f is left after purge"
done
[ -f /var/lib/exemplar/exemplar.db ] || fail "purging deleted the data"
grep -q "is kept" /tmp/exemplar-purge.log || fail "purge does not say the data is kept"
echo "package-test: removed cleanly, the data kept"
