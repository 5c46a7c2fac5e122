#!/usr/bin/env python3
"""Load for the relay latency measurement: POSTs distinct order_created webhooks at a fixed
rate (open loop: each request has its scheduled moment; a late one goes at once) and appends
`ORDER_ID EVENT_ID ACK_UNIX_SECONDS` for every 2xx answer, the time taken right after the
answer was read. relay_check.py latency pairs them with receiver.py's arrivals.

Usage: latency_client.py PORT SECRET ACK_FILE [--rate 200] [--seconds 10] [--threads 4] [--run 1]
"""
import argparse
import http.client
import threading
import time


def body(order_id: int) -> str:
    return ('{"event":"order_created","order":{"id":"%d","thing_id":"1234","amount":"14.53",'
            '"add_date":"2016-04-28 16:28:40","modified_date":"2016-04-29 08:03:38","fees":"0.54",'
            '"is_shipped":"true","status":"status","note":"a note"}}' % order_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("port", type=int)
    parser.add_argument("secret")
    parser.add_argument("acks")
    parser.add_argument("--rate", type=float, default=200, help="webhooks per second, all threads together")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--run", type=int, default=1, help="keeps order ids distinct across runs on one database")
    args = parser.parse_args()

    lock = threading.Lock()
    acks = open(args.acks, "a", buffering=1)
    start = time.monotonic() + 0.2
    interval = args.threads / args.rate
    count = int(args.rate * args.seconds / args.threads)
    failures = []

    def worker(number: int):
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
        for sequence in range(count):
            # Threads are offset from each other so the requests are evenly spread in time.
            delay = start + (sequence + number / args.threads) * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            order_id = (args.run * 100 + number) * 10_000_000 + sequence
            try:
                connection.request("POST", "/webhooks/thingiverse/" + args.secret, body(order_id), {"Content-Type": "application/json"})
                response = connection.getresponse()
                answer = response.read()
                acked = time.time()
            except (OSError, http.client.HTTPException) as error:
                failures.append(str(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
                continue
            if 200 <= response.status < 300:
                event_id = answer.split(b'"id":')[1].split(b",")[0].decode()
                with lock:
                    acks.write(f"{order_id} {event_id} {acked:.6f}\n")
            else:
                failures.append(f"HTTP {response.status}")

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(args.threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    acks.close()
    if failures:
        print(f"latency client: {len(failures)} requests failed, e.g. {failures[0]}")


if __name__ == "__main__":
    main()
