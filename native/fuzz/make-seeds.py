#!/usr/bin/python3
"""Writes the seed corpora of the fuzz harnesses (corpus/<harness>/) from real material: Wycheproof
vectors for the primitives, and messages, session keys and export files made by independent
implementations (python3-olm, matrix-nio) for the formats. Run from anywhere; it rewrites the seeds
it owns and leaves other files alone. Needs the shared Wycheproof folder beside the repository."""
import base64
import hashlib
import hmac
import json
import os
import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def wycheproof(name):
    for p in [ROOT, *ROOT.parents]:
        f = p.parent / "shared" / "vectors" / "wycheproof" / name
        if f.exists():
            return json.loads(f.read_text())
    sys.exit("shared/vectors/wycheproof not found beside the repository")


def cases(doc):
    for g in doc["testGroups"]:
        for t in g["tests"]:
            yield g, t


def write(harness, name, data):
    d = HERE / "corpus" / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def b64(b):
    return base64.b64encode(b).decode().rstrip("=")


def primitives():
    for i, (g, t) in enumerate(cases(wycheproof("aes_cbc_pkcs5_test.json"))):
        if g["keySize"] == 256 and i % 3 == 0:
            write("fuzz_aes", f"wycheproof-{t['tcId']}", bytes.fromhex(t["key"] + t["iv"] + t["ct"]))
    for g, t in cases(wycheproof("ed25519_test.json")):
        if t["tcId"] % 4 == 1 and len(t["sig"]) == 128:
            write("fuzz_ed25519", f"wycheproof-{t['tcId']}",
                  bytes.fromhex(g["publicKey"]["pk"] + t["sig"] + t["msg"]))
    samples = [b"", b"f", b"fo", b"foo", os.urandom(32), os.urandom(165), os.urandom(229)]
    for i, s in enumerate(samples):
        write("fuzz_base64", f"unpadded-{i}", b64(s).encode())
        write("fuzz_base64", f"padded-{i}", base64.b64encode(s))


def megolm():
    """Megolm messages, session keys and exports from libolm (python3-olm)."""
    import olm
    out = olm.OutboundGroupSession()
    keys = [out.session_key]
    messages = []
    for i, text in enumerate(["", "hi", "x" * 15, "x" * 16, json.dumps({"type": "m.room.message",
                              "content": {"body": "hello " * 20, "msgtype": "m.text"}})]):
        messages.append(base64.b64decode(out.encrypt(text) + "=="))
        if i == 2:
            keys.append(out.session_key)
    inbound = olm.InboundGroupSession(keys[0])
    exported = inbound.export_session(inbound.first_known_index)
    for i, m in enumerate(messages):
        write("fuzz_megolm_message", f"libolm-{i}", m)
    for i, k in enumerate(keys):
        write("fuzz_session_key", f"libolm-sharing-{i}", base64.b64decode(k + "=="))
    write("fuzz_session_key", "libolm-export-0", base64.b64decode(exported + "=="))
    return keys, messages, exported


def export_files():
    """Room-key export files as matrix-nio writes them, with few PBKDF2 rounds so fuzzing stays fast."""
    from nio.crypto import key_export
    for i, payload in enumerate([b"[]", json.dumps([{"algorithm": "m.megolm.v1.aes-sha2", "room_id": "!r:x",
                                                      "session_id": "s", "session_key": "k"}]).encode()]):
        armoured = key_export.encrypt(payload, "passphrase", count=2)
        body = base64.b64decode(armoured + "==")
        write("fuzz_export", f"nio-{i}", body)


if __name__ == "__main__":
    primitives()
    megolm()
    export_files()
