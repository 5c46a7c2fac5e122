#!/usr/bin/env python3
"""Writes COUNT distinct UserEcho hook bodies, one per line, each followed by a tab and its
X-UE-Signature (hex HMAC-SHA1 under KEY), for userecho.lua: wrk's Lua has no HMAC."""
import hashlib
import hmac
import sys

path, count, key = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
with open(path, "w") as out:
    for n in range(1, count + 1):
        body = ('{"hook":"topic.created","created":"2014-04-25T04:17:38.306Z","data":{"id":%d,"forum_id":1,'
                '"header":"Support 0.2 mm nozzles","description":"For miniatures, please.","status":1,'
                '"vote_diff":3,"comment_count":0,"author":{"id":4,"name":"Alice Prints"}}}') % n
        out.write(body + "\t" + hmac.new(key, body.encode(), hashlib.sha1).hexdigest() + "\n")
