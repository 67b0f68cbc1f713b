#!/usr/bin/python3
"""Peer for the Megolm interop tests: python3-olm (libolm) encrypts for panolm to decrypt.

stdin:  {"plaintexts": ["...", ...], "export_at": n}
stdout: {"session_id": "...", "session_key": "<v2 at index 0>", "export": "<v1 at export_at>",
         "ciphertexts": ["...", ...]}
"""
import json
import sys

import olm


def main():
    request = json.load(sys.stdin)
    outbound = olm.OutboundGroupSession()
    session_key = outbound.session_key
    ciphertexts = [outbound.encrypt(p) for p in request["plaintexts"]]
    inbound = olm.InboundGroupSession(session_key)
    json.dump({
        "session_id": outbound.id,
        "session_key": session_key,
        "export": inbound.export_session(request["export_at"]),
        "ciphertexts": ciphertexts,
    }, sys.stdout)


if __name__ == "__main__":
    main()
