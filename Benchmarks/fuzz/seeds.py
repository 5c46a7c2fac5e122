#!/usr/bin/env python3
"""Writes the seed corpora (Benchmarks/fuzz/corpus/NAME/) from the tests' own inputs and the
reference documents' samples (/work/shared/reference/ when present, else the copies below).

Run it again after adding a seed here; the files are small and kept in the repository.
The fuzzers' own corpora grow in .build/fuzz/NAME/corpus and are not committed.
"""
import hashlib
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

ORDER = {
    "id": "1234", "thing_id": "5678", "amount": "14.53", "add_date": "2016-04-28 16:28:40",
    "modified_date": "2016-04-29 08:03:38", "charges": [{"id": "ch_1", "amount": "14.53"}], "fees": "0.54",
    "validated_shipping_address": "123 Some St., Somecity, Somestate, 12345", "is_shipped": "true",
    "status": "status", "note": "a note",
}
# The documentation's sample exactly as published (no comma after the event, a placeholder array).
DOC_SAMPLE = """{
    "event": "order_created"
    "order": {
        "id": "1234",
        "thing_id": "1234",
        "amount": "14.53",
        "add_date": "2016-04-28 16:28:40",
        "modified_date": "2016-04-29 08:03:38",
        "charges": [array of charges],
        "fees": "0.54",
        "validated_shipping_address": "123 Some St., Somecity, Somestate, 12345",
        "is_shipped": "true",
        "status": "status",
        "note": "a note"
    }
}"""
NUMERIC_ORDER = '{"event":"order_created","order":{"id":1234,"thing_id":5678,"amount":14.53,"fees":0.54,"is_shipped":true,"status":7,"modified_date":"2016-04-29 08:03:38"}}'
USERECHO_HOOK = '{"hook":"topic.created","created":"2024-05-01T10:00:00","data":{"id":17,"forum_id":1,"header":"Support 0.2 mm nozzles"}}'
PROFILE = '{"id":50577,"name":"thingiverse","url":"https://api.thingiverse.com/users/thingiverse","thumbnail":"http://cdn.thingiverse.com/renders/0a/51/60/8b/cc/Thingiverse-Avatar_v2-1_thumb_medium.jpg","bio":"","location":"Brooklyn, NY","registered":"2013-02-22T21:32:27+00:00"}'
TOKENINFO = '{"audience":"YOUR_CLIENT_ID","user_id":"244"}'

JSON_SEEDS = [
    json.dumps({"event": "order_created", "order": ORDER}, indent=4),
    DOC_SAMPLE, NUMERIC_ORDER, '{"event": "ping"}', USERECHO_HOOK, PROFILE, TOKENINFO,
    '{"access_token": "abc123", "token_type": "bearer", "expires_in": 3600}',
    '[1, -0, 0.5e-3, 1E+400, -12.340, 9007199254740993, 1e-400, true, false, null]',
    '{"s":"\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/", "k\\u0000":"é😀"}',
    '{"a":{"b":[[[{"c":[]}]]]}}', '"\\ud800"', '{"a":1,"a":2}', '[1,]', ' \r\n\t0 ',
]


def write(target, seeds):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))
    for seed in seeds:
        data = seed.encode() if isinstance(seed, str) else seed
        with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as file:
            file.write(data)


def fields(*values):
    """FuzzInput fields: each value followed by the 0xFF separator."""
    return b"".join((value.encode() if isinstance(value, str) else value) + b"\xff" for value in values)


write("json", JSON_SEEDS)
write("webhook", [b"\x00" + s.encode() for s in JSON_SEEDS[:5]] + [b"\x01" + USERECHO_HOOK.encode(),
                  b"\x01" + b'{"hook":"comment.created","created":"x","data":{"id":"c-1"}}',
                  b"\x00" + json.dumps({"event": "refund_requested", "order": dict(ORDER, amount="-0.05", fees="999999999999999999")}).encode(),
                  b"\x00" + b'{"event":"order_shipped","order":{"id":"77","modified_date":"2016-04-29 08:03:38"}}'])
write("token-reply", [
    "access_token=e72e16c7e42f292c6912e7710c838347ae178b4a&token_type=bearer",
    '{"access_token": "abc123", "token_type": "bearer", "expires_in": 3600}',
    "error=invalid_grant&error_description=The+code+has+expired.", '{"error":"invalid_client"}',
    "access_token=a%0D%0AX-Evil:%201", "access_token=",
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>access_token=x</body></html>",
    "\ufeff  <html>", PROFILE, TOKENINFO, '{"id":"244","name":"alice_prints","full_name":"Alice"}',
])
write("return-path", ["/", "/things", "/things?page=2&per_page=30", "/admin#orders", "/users/alice_prints/things",
                      "//evil.com", "/\\evil.com", "/%09/evil.com", "https://evil.com", "/..//evil.com", "http:evil.com",
                      "/\t/evil.com", "/%2F%2Fevil.com", "/%5cevil.com", "/a/../../evil", "/ok\r\nSet-Cookie: x=1", "/é",
                      "/a/%2e%2e/b", "/@evil.com", "/a?next=//evil.com"])
PROXY = []
for provider, method, path, query in [
    (0, "GET", "/things/123", "page=2"), (0, "GET", "/users/alice_prints/things", ""), (0, "GET", "/search/benchy%20boat", "per_page=30"),
    (0, "PATCH", "/things/4/images/5", ""), (0, "GET", "/things/1/../../users", "access_token=x"), (0, "GET", "/users/a%2Fb", ""),
    (1, "GET", "/things/423405,450287", ""), (1, "GET", "/things/lookup/", "url=https%3A%2F%2Fexample.com"), (1, "GET", "/user", ""),
    (2, "GET", "/forums/1/topics", "page=1"), (2, "POST", "/topics/3/comments", ""), (2, "GET", "/users/current/", "callback=x"),
]:
    PROXY.append(bytes([provider]) + fields(method, path, query))
write("proxy-path", PROXY)
write("session-cookie", [bytes([mode]) + fields("244", "alice_prints", "Alice Prints", "e72e16c7e42f292c6912e7710c838347ae178b4a") + b"\x07\x03"
                         for mode in range(4)] + [b"\x04AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
write("userecho", [bytes([mode]) + fields("thingiverse:244", "Alice Prints", "alice@example.com", "https://cdn.example/a.jpg?x=1&y=/", "en") +
                   b'{"hook":"topic.created","created":"2024-05-01","data":{"id":17}}' for mode in range(4)])
write("body-parameters", [bytes([kind]) + fields(query, value) + body.encode() for kind, query, value, body in [
    (0, "page=2", "0123abcd+/=", '{"header":"Print bed levelling","description":"Please"}'), (1, "", "t0k3n", "id=3&header=Renamed"),
    (2, "", "x", "\r\n{\r\n}\r\n"), (3, "limit=5", "v", "text=hi&sso%5Ftoken=forged"), (0, "", "v", '{"sso_token":"forged"}'),
    (1, "USER_ID=1", "v", "a=1"), (1, "", "v", "text=hi&sso_token=\u0301forged"), (4, "", "v", "<x/>"), (5, "", "v", ""),
    (0, "", "\u00e9\U0001F600\"", '{"a":[1,{"b":null}],"c":-0.5e3}'), (0, "", "v", "[1]"), (0, "", "v", "\ufeff{}"),
]])
write("standard-webhooks", [bytes([mode]) + fields("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", "1674087231") +
                            b'{"type":"thingiverse.order.created","data":{"id":"1234"}}' for mode in range(3)] +
                           [b"\x00" + fields("whsec_", "", "0"), b"\x01" + fields("whsec_" + "A" * 32 + "==", "id", "-1")])
