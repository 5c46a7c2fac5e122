#!/usr/bin/env python3
"""A Standard Webhooks receiver for the relay benchmarks: answers every POST with 204, checks
its signature, and appends one line per request to a record file:

    ARRIVAL_UNIX_SECONDS WEBHOOK_ID EVENT_ID ORDER_ID SIGNATURE(ok|bad)

where EVENT_ID is `data.thingbridge.event_id` and ORDER_ID `data.order.id` of the body ("-"
when absent). It can be down (nothing listens on the port, so connections are refused, and
open connections are cut) and up again, on signals or flapping by itself:

    receiver.py --port P --record FILE [--secret whsec_...] [--start-down] [--flap 0.5,2,1,7]

    SIGUSR1  up, and stop flapping          SIGUSR2  down, and stop flapping
    SIGTERM  exit (prints a summary on stderr)

Standard library only (asyncio), one process, fast enough for a few thousand requests/s.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import random
import signal
import sys
import time


class Receiver:
    def __init__(self, port: int, record_path: str, secret: str | None):
        self.port = port
        self.record = open(record_path, "a", buffering=1)
        self.key = base64.b64decode(secret.removeprefix("whsec_")) if secret else None
        self.server: asyncio.base_events.Server | None = None
        self.connections: set[asyncio.StreamWriter] = set()
        self.requests = 0
        self.bad_signatures = 0
        self.down_since: float | None = None
        self.down_seconds = 0.0
        self.outages = 0

    # Up and down

    async def up(self):
        if self.server is not None:
            return
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", self.port, reuse_address=True, backlog=512)
        if self.down_since is not None:
            self.down_seconds += time.monotonic() - self.down_since
            self.down_since = None
        print(f"{time.time():.3f} receiver up", file=sys.stderr, flush=True)

    async def down(self):
        if self.down_since is None:
            self.down_since = time.monotonic()
            self.outages += 1
        if self.server is None:
            return
        self.server.close()
        self.server = None
        # Cut kept-alive connections too: while down, nothing gets through.
        for writer in list(self.connections):
            writer.transport.abort()
        print(f"{time.time():.3f} receiver down", file=sys.stderr, flush=True)

    async def flap(self, up: tuple, down: tuple):
        """Up for a random while in `up` (seconds, low and high), then down for one in `down`,
        and so on until cancelled."""
        while True:
            await asyncio.sleep(random.uniform(*(up if self.server is not None else down)))
            await (self.down() if self.server is not None else self.up())

    # HTTP/1.1, just enough for a webhook client with keep-alive

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.connections.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                if headers.get("transfer-encoding", "").lower() == "chunked":
                    body = await self.read_chunked(reader)
                else:
                    body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.note(headers, body)
                writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.CancelledError, ConnectionError, ValueError):
            pass
        finally:
            self.connections.discard(writer)
            writer.transport.abort()

    @staticmethod
    async def read_chunked(reader: asyncio.StreamReader) -> bytes:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return body
            body += chunk[:-2]

    def note(self, headers: dict, body: bytes):
        arrived = time.time()
        self.requests += 1
        webhook_id = headers.get("webhook-id", "-")
        signature = "ok" if self.verified(webhook_id, headers, body) else "bad"
        if signature == "bad":
            self.bad_signatures += 1
        event_id = order_id = "-"
        try:
            data = json.loads(body)["data"]
            event_id = str(data["thingbridge"]["event_id"])
            order_id = str((data.get("order") or {}).get("id", "-"))
        except (ValueError, KeyError, TypeError):
            pass
        self.record.write(f"{arrived:.6f} {webhook_id} {event_id} {order_id} {signature}\n")

    def verified(self, webhook_id: str, headers: dict, body: bytes) -> bool:
        if self.key is None:
            return True
        signed = f"{webhook_id}.{headers.get('webhook-timestamp', '')}.".encode() + body
        expected = base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest()).decode()
        return any(hmac.compare_digest(part.removeprefix("v1,"), expected)
                   for part in headers.get("webhook-signature", "").split() if part.startswith("v1,"))


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", required=True, help="file to append one line per request to")
    parser.add_argument("--secret", help="whsec_ secret to check webhook-signature with")
    parser.add_argument("--start-down", action="store_true")
    parser.add_argument("--flap", help="UP_LOW,UP_HIGH[,DOWN_LOW,DOWN_HIGH]: stay up for a random UP_LOW..UP_HIGH "
                        "seconds, then down for DOWN_LOW..DOWN_HIGH (default: the same range), and so on")
    args = parser.parse_args()

    receiver = Receiver(args.port, args.record, args.secret)
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    flapping: asyncio.Task | None = None

    def steady(state):
        nonlocal flapping
        if flapping is not None:
            flapping.cancel()
            flapping = None
        loop.create_task(receiver.up() if state == "up" else receiver.down())

    loop.add_signal_handler(signal.SIGUSR1, steady, "up")
    loop.add_signal_handler(signal.SIGUSR2, steady, "down")
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    loop.add_signal_handler(signal.SIGINT, stopped.set)
    await (receiver.down() if args.start_down else receiver.up())
    if args.flap:
        bounds = [float(value) for value in args.flap.split(",")]
        flapping = loop.create_task(receiver.flap(tuple(bounds[:2]), tuple(bounds[2:4] or bounds[:2])))
    await stopped.wait()
    if receiver.down_since is not None:
        receiver.down_seconds += time.monotonic() - receiver.down_since
    receiver.record.close()
    print(f"receiver: {receiver.requests} requests, {receiver.bad_signatures} bad signatures, "
          f"{receiver.outages} outages, {receiver.down_seconds:.1f} s down", file=sys.stderr, flush=True)


if __name__ == "__main__":
    asyncio.run(main())
