#!/usr/bin/python3
"""PK encryption/signing peer for panolm's interop tests: Debian's python3-olm.

Reads one JSON request on stdin, writes one JSON answer on stdout. Operations:
  create   {passphrase}                        -> public_key, pickle of a new PkDecryption
  encrypt  {recipient, plaintexts}             -> messages [{ephemeral, mac, ciphertext}]
  decrypt  {passphrase, pickle, messages}      -> plaintexts
  sign     {seed (unpadded base64), message}            -> public_key, signature
"""
import base64
import json
import sys

import olm


def main():
    req = json.load(sys.stdin)
    op = req["op"]
    pw = req.get("passphrase", "")
    if op == "create":
        pk = olm.PkDecryption()
        out = {"public_key": pk.public_key, "pickle": pk.pickle(pw).decode()}
    elif op == "encrypt":
        pk = olm.PkEncryption(req["recipient"])
        messages = [pk.encrypt(p) for p in req["plaintexts"]]
        out = {"messages": [{"ephemeral": m.ephemeral_key, "mac": m.mac, "ciphertext": m.ciphertext}
                            for m in messages]}
    elif op == "decrypt":
        pk = olm.PkDecryption.from_pickle(req["pickle"].encode(), pw)
        out = {"public_key": pk.public_key,
               "plaintexts": [pk.decrypt(olm.PkMessage(m["ephemeral"], m["mac"], m["ciphertext"]))
                              for m in req["messages"]]}
    elif op == "sign":
        seed = req["seed"]
        signing = olm.PkSigning(base64.b64decode(seed + "=" * (-len(seed) % 4)))
        out = {"public_key": signing.public_key, "signature": signing.sign(req["message"])}
    else:
        raise SystemExit("unknown op " + op)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
