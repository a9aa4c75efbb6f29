# lakegate in a container: `docker build -t lakegate .` then, for example,
#   docker run --rm -p 5433:5433 -v $PWD/lake:/lake -v $PWD/lakegate.toml:/etc/lakegate.toml:ro \
#     -e LAKEGATE_CONFIG=/etc/lakegate.toml lakegate serve
# The config must then listen on 0.0.0.0 — which lakegate only allows with [users] configured.
# S3 credentials come from the AWS chain (env AWS_*, an instance role, a mounted ~/.aws).

FROM rust:1.95-bookworm AS build
WORKDIR /src
# The bundled DuckDB needs a C++ toolchain (in the rust image) and ~20 minutes on 2 cores.
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY sql sql
COPY tests/pins_golden tests/pins_golden
RUN cargo build --release --locked --bin lakegate

# The DuckDB extensions, from the signed binaries published as PyPI wheels.
FROM python:3.11-slim-bookworm AS extensions
COPY scripts /opt/scripts
RUN /opt/scripts/install-extensions --dir /opt/duckdb/extensions/v1.5.5/linux_amd64

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/lakegate --create-home lakegate
COPY --from=build /src/target/release/lakegate /usr/local/bin/lakegate
# DuckDB looks for extensions in ~/.duckdb/extensions: the lakegate user's home.
COPY --from=extensions --chown=lakegate /opt/duckdb /var/lib/lakegate/.duckdb
USER lakegate
WORKDIR /var/lib/lakegate
EXPOSE 5433
ENTRYPOINT ["lakegate"]
CMD ["--help"]
