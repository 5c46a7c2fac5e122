#!/usr/bin/env python3
"""Prints one declaration of a Swift source file, its doc comment included, exactly as written.

    extract.py FILE 'enum ReplyBody'                        # a top-level declaration
    extract.py FILE 'static func forwardedQuery' ProxyController   # a member, wrapped in `extension ProxyController`

A fuzz target uses this to compile a type or function of Sources/ThingBridge as is when the rest
of its file needs modules the target does not link (Hummingbird, AsyncHTTPClient). The
declaration starts at the first line that begins (after indentation and access modifiers) with
the given text and ends at the first later line that is its indentation followed by `}` (or on
its own line when that line opens no brace it does not close, e.g. `static let flattr = ...`).
"""
import re
import sys


def extract(path, start, container=None, modules=()):
    """The declaration's text; of the file's imports it keeps Foundation and `modules` (those the target links)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    pattern = re.compile(r"^(\s*)((public|private|internal|fileprivate|package|final|nonisolated)\s+)*" + re.escape(start) + r"\b")
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if not match:
            continue
        indent = match.group(1)
        first = index
        while first > 0 and lines[first - 1].strip().startswith("///"):
            first -= 1
        for end in range(index, len(lines)):
            one_line = end == index and line.count("{") == line.count("}") and ("{" not in line or line.rstrip().endswith("}"))
            if lines[end] == indent + "}" or one_line:
                body = [text[len(indent):] if text.startswith(indent) else text for text in lines[first:end + 1]]
                text = "\n".join(body)
                if container:
                    text = "extension %s {\n%s\n}" % (container, "\n".join("    " + l if l else l for l in body))
                # Foundation is always there; the file's other imports are what the target leaves out.
                kept = {"Foundation", "Synchronization"} | set(modules)
                imports = "".join(l + "\n" for l in lines if l.startswith("import ") and l.split()[-1] in kept)
                return "// Extracted from %s by Benchmarks/fuzz/extract.py: %s\n%s%s\n" % (path, start, imports, text)
        break
    sys.exit("extract.py: no declaration '%s' in %s" % (start, path))


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    sys.stdout.write(extract(*sys.argv[1:]))
