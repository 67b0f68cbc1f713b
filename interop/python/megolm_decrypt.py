#!/usr/bin/python3
"""Peer for the Megolm interop tests: python3-olm (libolm) decrypts what panolm encrypted.

stdin:  {"session_key": "<v2 base64>" | "exported": "<v1 base64>", "ciphertexts": ["...", ...]}
stdout: {"session_id": "...", "first_known_index": n, "export_0": "<v1 at first index>",
         "messages": [{"plaintext": "...", "index": n} | {"error": "..."}, ...]}
"""
import json
import sys

import olm


def main():
    request = json.load(sys.stdin)
    if "session_key" in request:
        session = olm.InboundGroupSession(request["session_key"])
    else:
        session = olm.InboundGroupSession.import_session(request["exported"])
    messages = []
    for ciphertext in request["ciphertexts"]:
        try:
            plaintext, index = session.decrypt(ciphertext, unicode_errors="strict")
            messages.append({"plaintext": plaintext, "index": index})
        except olm.OlmGroupSessionError as e:
            messages.append({"error": str(e)})
    json.dump({
        "session_id": session.id,
        "first_known_index": session.first_known_index,
        "export": session.export_session(session.first_known_index),
        "messages": messages,
    }, sys.stdout)


if __name__ == "__main__":
    main()
