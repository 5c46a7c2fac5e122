#!/usr/bin/env python3
"""A throwaway OTLP/HTTP collector for measuring what tracing costs: answers every
`POST /v1/traces` with 200 and an empty ExportTraceServiceResponse, counts requests and bytes,
and prints them on SIGTERM or SIGINT. Standard library only (the spans are not decoded).

    Benchmarks/tracing/otlp_sink.py --port 4318 &
    OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 Benchmarks/profile/instructions --binary ...
"""
import argparse
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {"requests": 0, "bytes": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        counts["requests"] += 1
        counts["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=4318)
    arguments = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler)

    def finish(*_):
        print(f"otlp sink: {counts['requests']} export requests, {counts['bytes']} bytes", file=sys.stderr, flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    server.serve_forever()


if __name__ == "__main__":
    main()
