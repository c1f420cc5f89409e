# In the style of the official nginx image (a module built in a subshell,
# a checksum pipe, a heredoc script) followed by the kind of ONBUILD base
# that the old "-onbuild" images were.
FROM debian:bookworm-slim AS modules

ARG NGINX_VERSION=1.27.2
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl gcc libc-dev make libpcre2-dev zlib1g-dev; \
	rm -rf /var/lib/apt/lists/*; \
	curl -fsSL "https://nginx.org/download/nginx-${NGINX_VERSION}.tar.gz" -o nginx.tar.gz; \
	echo "a46f4d9c6c2a3f7ab0b1b4e8f7a8d1c2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8  nginx.tar.gz" | sha256sum -c -; \
	mkdir -p /usr/src/nginx; \
	tar -xzf nginx.tar.gz -C /usr/src/nginx --strip-components=1; \
	( cd /usr/src/nginx && ./configure --with-compat && make modules ); \
	mkdir -p /out; \
	cp /usr/src/nginx/objs/*.so /out/ 2>/dev/null || true

FROM nginx:1.27.2

COPY --from=modules /out/ /usr/lib/nginx/modules/

RUN <<EOF
set -eu
for f in /usr/lib/nginx/modules/*.so; do
  [ -e "$f" ] || continue
  echo "load_module modules/$(basename "$f");" >> /etc/nginx/modules.conf
done
EOF

HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost/ > /dev/null || exit 1

WORKDIR /usr/share/nginx/html
ONBUILD COPY site/ ./
ONBUILD RUN find . -type f -name '*.html' | xargs -r chmod 0644
ONBUILD RUN sudo chown -R nginx:nginx /usr/share/nginx/html
