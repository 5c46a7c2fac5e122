# syntax=docker/dockerfile:1
# ThingBridge: build a release binary with the official Swift image, run it on slim Debian.

FROM swift:6.3-bookworm AS build
WORKDIR /build
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product thingbridge --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/thingbridge" /staging/

FROM debian:bookworm-slim
# What the binary needs beyond the base (Benchmarks/image/run checks it): its ldd is libc, libm,
# libstdc++, libgcc_s and libz (TLS is BoringSSL, built in; no FoundationNetworking or
# FoundationXML, so no libcurl, libxml2 or libssl); ca-certificates for the system trust store
# NIOSSL reads; zlib1g for NIO's compression (already in the base, named so it stays); tzdata so
# that a TZ setting applies to the log's timestamps.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates zlib1g tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin thingbridge \
    && mkdir -p /data && chown thingbridge /data
WORKDIR /app
COPY --from=build /staging/thingbridge /usr/local/bin/thingbridge
COPY Public ./Public
COPY Config ./Config
ENV THINGBRIDGE_HOST=0.0.0.0 \
    THINGBRIDGE_PORT=8080 \
    THINGBRIDGE_DATABASE_URL=sqlite:/data/thingbridge.sqlite \
    THINGBRIDGE_DATA_DIR=/data \
    THINGBRIDGE_PUBLIC_DIR=/app/Public
VOLUME ["/data"]
EXPOSE 8080
USER thingbridge
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/usr/bin/env", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/usr/local/bin/thingbridge"]
CMD ["serve"]
