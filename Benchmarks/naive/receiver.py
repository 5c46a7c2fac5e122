"""A webhook receiver as a developer would write it in an afternoon: the peer ThingBridge's webhook
ingest is compared with (Benchmarks/webhooks/ingest). Flask under gunicorn's sync workers, SQLite in
WAL mode with synchronous=FULL (as durable as ThingBridge's), one connection and one transaction
per request, storing the raw body and the parsed order id, answering 200 with JSON.

    NAIVE_DATABASE=/tmp/naive.sqlite NAIVE_SECRET=... \
        gunicorn --workers 4 --bind 127.0.0.1:8000 --chdir Benchmarks/naive receiver:app
"""
import hmac
import os
import sqlite3
import time

from flask import Flask, abort, g, jsonify, request

DATABASE = os.environ["NAIVE_DATABASE"]
SECRET = os.environ["NAIVE_SECRET"]

app = Flask(__name__)


def init_db():
    db = sqlite3.connect(DATABASE, timeout=30)  # every worker runs this at start-up
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("""CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        order_id TEXT NOT NULL,
        received_at REAL NOT NULL,
        body TEXT NOT NULL)""")
    db.commit()
    db.close()


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.execute("PRAGMA synchronous=FULL")
    return g.db


@app.teardown_appcontext
def close_db(exception):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.post("/webhooks/thingiverse/<secret>")
def thingiverse_webhook(secret):
    if not hmac.compare_digest(secret, SECRET):
        abort(404)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("order"), dict) or "id" not in payload["order"]:
        return jsonify(error="expected an order event"), 400
    db = get_db()
    with db:  # one transaction, committed (and fsynced) before we answer
        cursor = db.execute("INSERT INTO events (order_id, received_at, body) VALUES (?, ?, ?)",
                            (str(payload["order"]["id"]), time.time(), request.get_data(as_text=True)))
    return jsonify(id=cursor.lastrowid, status="stored")


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


init_db()
