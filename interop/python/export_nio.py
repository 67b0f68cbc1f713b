#!/usr/bin/python3
"""Peer: matrix-nio's room-key export (nio.crypto.key_export), for panolm's interop tests.

stdin: a JSON array of requests; stdout: a JSON array of results, in order.
  {"op": "encrypt", "json": "[...]", "passphrase": "...", "count": N, "path": "..."} -> {"ok": true}
      (nio's encrypt_and_save writes the armoured file at path)
  {"op": "decrypt", "path": "...", "passphrase": "..."} -> {"json": "[...]"} or {"error": "..."}
  {"op": "import", "path": "...", "passphrase": "..."} -> {"imported": n} or {"error": "..."}
      (nio's Olm.import_keys_static: decrypt, validate against its schema, import each session)
"""
import json
import sys

from nio.crypto import key_export
from nio.crypto.olm_machine import Olm


def handle(req):
    op = req["op"]
    if op == "encrypt":
        key_export.encrypt_and_save(req["json"].encode("utf-8"), req["path"], req["passphrase"], count=req["count"])
        return {"ok": True}
    if op == "decrypt":
        data = key_export.decrypt_and_read(req["path"], req["passphrase"])
        return {"json": data.decode("utf-8")}
    if op == "import":
        return {"imported": len(Olm.import_keys_static(req["path"], req["passphrase"]))}
    raise ValueError("unknown op " + op)


def main():
    out = []
    for req in json.load(sys.stdin):
        try:
            out.append(handle(req))
        except Exception as e:  # reported to the test, which decides
            out.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
