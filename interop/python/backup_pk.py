#!/usr/bin/env python3
"""libolm's PK encryption (the m.megolm_backup.v1 scheme) through python3-olm, as an independent peer.

stdin: {"op": "encrypt", "public_key": b64, "plaintexts": [str]}
         -> {"messages": [{"ephemeral", "mac", "ciphertext"}]}   (olm.PkEncryption)
       {"op": "decrypt", "private_key": b64 (32 bytes), "messages": [{"ephemeral", "mac", "ciphertext"}]}
         -> {"public_key": b64, "results": [{"plaintext": str} | {"error": str}]}
            (olm.PkDecryption, keyed from the given private key through libolm's olm_pk_key_from_private)
"""
import base64
import json
import sys

import olm
from _libolm import ffi, lib  # python3-olm's cffi module


def b64decode(s):
    return base64.b64decode(s + "=" * (-len(s) % 4))


def decryption_from_private(private_key):
    dec = olm.PkDecryption.__new__(olm.PkDecryption)
    priv = ffi.new("char[]", private_key)
    key_length = lib.olm_pk_key_length()
    key_buffer = ffi.new("char[]", key_length)
    ret = lib.olm_pk_key_from_private(dec._pk_decryption, key_buffer, key_length, priv, len(private_key))
    dec._check_error(ret)
    dec.public_key = ffi.unpack(key_buffer, key_length).decode()
    return dec


def main():
    req = json.load(sys.stdin)
    if req["op"] == "encrypt":
        enc = olm.PkEncryption(req["public_key"])
        out = []
        for p in req["plaintexts"]:
            m = enc.encrypt(p)
            out.append({"ephemeral": m.ephemeral_key, "mac": m.mac, "ciphertext": m.ciphertext})
        json.dump({"messages": out}, sys.stdout)
    elif req["op"] == "decrypt":
        dec = decryption_from_private(b64decode(req["private_key"]))
        results = []
        for m in req["messages"]:
            try:
                msg = olm.PkMessage(m["ephemeral"], m["mac"], m["ciphertext"])
                results.append({"plaintext": dec.decrypt(msg, unicode_errors="strict")})
            except olm.PkDecryptionError as e:
                results.append({"error": str(e)})
        json.dump({"public_key": dec.public_key, "results": results}, sys.stdout)
    else:
        raise SystemExit("unknown op " + req["op"])


if __name__ == "__main__":
    main()
