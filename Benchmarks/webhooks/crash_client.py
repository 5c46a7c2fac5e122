#!/usr/bin/env python3
"""Load for the crash benchmark: N threads POST distinct order_created deliveries and append
the order id and event id of every 2xx answer to an acknowledgement file, until told to stop.

Usage: crash_client.py PORT SECRET ACK_FILE STOP_FILE RUN_NUMBER [THREADS]
"""
import http.client
import os
import sys
import threading
import time

port, secret, ack_path, stop_path, run = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 32
lock = threading.Lock()
acks = open(ack_path, "a", buffering=1)


def body(order_id):
    return ('{"event":"order_created","order":{"id":"%d","thing_id":"1234","amount":"14.53",'
            '"add_date":"2016-04-28 16:28:40","modified_date":"2016-04-29 08:03:38","fees":"0.54",'
            '"is_shipped":"true","status":"status","note":"a note"}}' % order_id)


def worker(number):
    sequence = 0
    connection = None
    while not os.path.exists(stop_path):
        sequence += 1
        order_id = (run * 100 + number) * 10_000_000 + sequence
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/webhooks/thingiverse/" + secret, body(order_id), {"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            if 200 <= response.status < 300:
                event_id = answer.split(b'"id":')[1].split(b",")[0].decode()
                with lock:
                    acks.write("%d %s\n" % (order_id, event_id))
        except Exception:
            # The server was killed mid-request: this delivery is unacknowledged (it may or may
            # not be stored; either is correct). Reconnect and go on with new deliveries.
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.02)


workers = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
for thread in workers:
    thread.start()
for thread in workers:
    thread.join()
acks.close()
