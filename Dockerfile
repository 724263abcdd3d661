# dfopt's own image: built on Debian 12 with the project's build packages,
# run on Debian 12 slim with only the binary and the libraries it links.
#   docker build -t dfopt .
#   docker run --rm -v "$PWD:/work:ro" dfopt diff Dockerfile
FROM debian:bookworm AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh --build
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build build --target dfopt -j"$(nproc)" \
 && strip build/dfopt

FROM debian:bookworm-slim AS production
# The shared libraries build/dfopt links (ldd; libc6 is in the base image,
# the C++ libraries are linked in): the same as the .deb's Depends.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libmimalloc2.0 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10000 dfopt \
 && useradd --no-log-init --uid 10000 --gid dfopt --create-home dfopt \
 && mkdir -p /work && chown dfopt:dfopt /work
COPY --from=build /src/build/dfopt /usr/local/bin/dfopt
WORKDIR /work
USER dfopt
ENTRYPOINT ["dfopt"]
CMD ["--help"]
