#!/usr/bin/python3
"""Writes the seed corpora of the fuzz harnesses (corpus/<harness>/) from real material: Wycheproof
vectors for the primitives, and messages, session keys and export files made by independent
implementations (python3-olm, matrix-nio) for the formats. Run from anywhere; it rewrites the seeds
it owns and leaves other files alone; `make-seeds.py hardening` writes one section only. Reads the Wycheproof vectors vendored under
core/src/test/resources/wycheproof."""
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


WYCHEPROOF = ROOT / "core/src/test/resources/wycheproof"


def wycheproof(name):
    f = WYCHEPROOF / name
    if not f.exists():
        sys.exit(f"{f} is missing: the vendored Wycheproof vectors live there")
    return json.loads(f.read_text())


def cases(doc):
    for g in doc["testGroups"]:
        for t in g["tests"]:
            yield g, t


def write(harness, name, data):
    d = HERE / "corpus" / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


JAVA_INPUTS = ROOT / "core/src/test/resources/org/panolm/hardening/fuzz"


def write_java(test_class, method, name, data):
    """A kept input of a Jazzer @FuzzTest: replayed by every ordinary test run."""
    d = JAVA_INPUTS / f"{test_class}Inputs" / method
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


def x25519_many():
    # One scalar with eight points: a Wycheproof case's private key with its public key and the next
    # seven cases' (twist points, small order, u >= p, bit 255 set), so that every lane meets them.
    tests = [t for _, t in cases(wycheproof("x25519_test.json"))]
    for i in range(0, len(tests), 8):
        points = b"".join(bytes.fromhex(t["public"]) for t in tests[i:i + 8])
        write("fuzz_x25519_many", f"wycheproof-{tests[i]['tcId']}", bytes.fromhex(tests[i]["private"]) + points)


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
        write("fuzz_megolm_parse", f"libolm-{i}", m)
    for i, k in enumerate(keys):
        write("fuzz_session_key", f"libolm-sharing-{i}", base64.b64decode(k + "=="))
    write("fuzz_session_key", "libolm-export-0", base64.b64decode(exported + "=="))
    megolm_connects(inbound)
    return keys, messages, exported


def megolm_connects(inbound):
    """Pairs of exports for fuzz_megolm_connects (first byte 0xFF: split after the first export): one session
    at several indices (across the ratchet's part boundaries), and a forged copy with its signing key."""
    at = {i: base64.b64decode(inbound.export_session(i) + "==") for i in (0, 1, 255, 256, 70000)}
    forged = at[0][:5] + os.urandom(128) + at[0][133:]
    pairs = [(0, at[0], at[1]), (1, at[1], at[256]), (2, at[0], at[70000]), (3, at[255], at[255]),
             (4, forged, at[256]), (5, at[70000], forged)]
    for i, a, b in pairs:
        write("fuzz_megolm_connects", f"libolm-pair-{i}", b"\xff" + a + b)


def export_files():
    """Room-key export files as matrix-nio writes them, with few PBKDF2 rounds so fuzzing stays fast."""
    from nio.crypto import key_export
    for i, payload in enumerate([b"[]", json.dumps([{"algorithm": "m.megolm.v1.aes-sha2", "room_id": "!r:x",
                                                      "session_id": "s", "session_key": "k"}]).encode()]):
        armoured = key_export.encrypt(payload, "passphrase", count=2)
        body = base64.b64decode(armoured + "==")
        write("fuzz_export", f"nio-{i}", bytes([7 + i]) + body)  # first byte: where the harness splits the MAC pass
        write_java("ExportFileFuzzTest", "importBody", f"nio-{i}", bytes([0]) + body)


# ---- Inputs for the fixed keys of fixture.h ----------------------------------------------------------
MEGOLM_RATCHET = bytes(range(128))
MEGOLM_SEED = b"\x42" * 32
BACKUP_PRIVATE = bytes(range(32, 64))
SSSS_KEY = bytes(range(64, 96))


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def hkdf(ikm, info, n):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    return HKDF(hashes.SHA256(), n, None, info).derive(ikm)


def aes_cbc(key, iv, data):
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    p = padding.PKCS7(128).padder()
    data = p.update(data) + p.finalize()
    e = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return e.update(data) + e.finalize()


def megolm_message(index, plaintext, ratchet):
    """A version-3 Megolm message written from the spec with `cryptography` (not libpanolm)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    keys = hkdf(ratchet, b"MEGOLM_KEYS", 80)
    ct = aes_cbc(keys[:32], keys[64:], plaintext)
    body = b"\x03\x08" + varint(index) + b"\x12" + varint(len(ct)) + ct
    mac = hmac.new(keys[32:64], body, hashlib.sha256).digest()[:8]
    return body, body + mac + Ed25519PrivateKey.from_private_bytes(MEGOLM_SEED).sign(body + mac)


def fixture_formats():
    r1 = MEGOLM_RATCHET[:96] + hmac.new(MEGOLM_RATCHET[96:], b"\x03", hashlib.sha256).digest()
    plaintexts = [b'{"room_id":"!r:x","type":"m.room.message","content":{"body":"hi"}}',
                  b'{"room_id":"!other:x","type":"m.room.message","content":{}}', b"not json", b"[1,2]", b""]
    messages = []
    for i, pt in enumerate(plaintexts):
        index, ratchet = (1, r1) if i == 1 else (0, MEGOLM_RATCHET)
        body, full = megolm_message(index, pt, ratchet)
        messages.append(full)
        write("fuzz_megolm_decrypt", f"signed-{i}", b"\x02" + b64(full).encode())
        write("fuzz_megolm_decrypt", f"resign-{i}", b"\x03" + body)
        write("fuzz_megolm_parse", f"message-{i}", full)
        room = b"!r:x"
        write("fuzz_megolm_room", f"plaintext-{i}", bytes([len(room)]) + room + pt)
    batch = bytearray()
    for k, m in enumerate(messages + messages[:2]):  # the last two reuse indices: replays when ids differ
        text = b64(m).encode()
        batch += bytes([k % 2, k]) + struct.pack(">H", len(text)) + text
    write("fuzz_megolm_batch", "fixture-batch", bytes(batch))

    import olm
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives import serialization
    pub = X25519PrivateKey.from_private_bytes(BACKUP_PRIVATE).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    enc = olm.PkEncryption(b64(pub))
    for i, text in enumerate(["{}", json.dumps({"algorithm": "m.megolm.v1.aes-sha2", "session_key": "x" * 300})]):
        m = enc.encrypt(text)
        def raw(s):
            return base64.b64decode(s + "=" * (-len(s) % 4))
        write("fuzz_backup", f"libolm-{i}", raw(m.ephemeral_key) + raw(m.mac) + raw(m.ciphertext))

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    for i, (name, secret) in enumerate([(b"m.cross_signing.master", b"c2VjcmV0"), (b"", b"\0" * 32),
                                        (b"m.megolm_backup.v1", os.urandom(300))]):
        keys = hkdf(SSSS_KEY, name, 64)
        iv = bytearray(os.urandom(16))
        iv[8] &= 0x7F
        e = Cipher(algorithms.AES(keys[:32]), modes.CTR(bytes(iv))).encryptor()
        ct = e.update(secret) + e.finalize()
        mac = hmac.new(keys[32:], ct, hashlib.sha256).digest()
        write("fuzz_ssss", f"item-{i}", bytes([len(name)]) + name + bytes(iv) + mac + ct)


def java_parsers():
    """Kept inputs of the Jazzer targets in core: real or spec-example material for each parser."""
    for name, text in [("rust-sdk", "EsTc LW2K PGiF wKEA 3As5 g5c4 BXwk qeeJ ZJV8 Q9fu gUMN UE4d"),
                       ("compact", "EsTcLW2KPGiFwKEA3As5g5c4BXwkqeeJZJV8Q9fugUMNUE4d"),
                       ("odd-spaces", "EsT           pRvZTnjck8    YrhRAtw XLS84Nr2r9S9LGAWDaExVAPBvLRK   "),
                       ("bad-parity", "EsTpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk"),
                       ("bad-prefix", "AATpRvZTnjck8YrhRAtwXLS84Nr2r9S9LGAWDaExVAPBvLRk"),
                       ("bad-alphabet", "AATpRvZTnjck8YrhRAtwXLS84Nr0OIl")]:
        write_java("RecoveryKeyFuzzTest", "decode", name, text.encode())
    flow = b"$ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:example.org"
    for mode in range(3):
        qr = b"MATRIX\x02" + bytes([mode]) + struct.pack(">H", len(flow)) + flow + os.urandom(64) + os.urandom(16)
        write_java("QrCodeDataFuzzTest", "decode", f"mode-{mode}", qr)
    write_java("QrCodeDataFuzzTest", "decode", "short-secret", b"MATRIX\x02\x00\x00\x01!" + bytes(64) + b"1234567")

    import olm
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives import serialization
    pub = X25519PrivateKey.from_private_bytes(BACKUP_PRIVATE).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    enc = olm.PkEncryption(b64(pub))
    out = olm.OutboundGroupSession()
    inbound = olm.InboundGroupSession(out.session_key)
    session_data = {"algorithm": "m.megolm.v1.aes-sha2", "sender_key": "x", "sender_claimed_keys": {"ed25519": "y"},
                    "forwarding_curve25519_key_chain": [], "session_key": inbound.export_session(0)}
    m = enc.encrypt(json.dumps(session_data))
    entry = {"first_message_index": 0, "forwarded_count": 0, "is_verified": False,
             "session_data": {"ephemeral": m.ephemeral_key, "ciphertext": m.ciphertext, "mac": m.mac}}
    body = {"rooms": {"!r:x": {"sessions": {inbound.id: entry, "broken": dict(entry, session_data={})}}}}
    write_java("BackupBodyFuzzTest", "restore", "libolm-body", json.dumps(body).encode())
    write_java("BackupBodyFuzzTest", "restore", "empty", b'{"rooms":{}}')

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    def ssss(name, secret):
        keys = hkdf(SSSS_KEY, name.encode(), 64)
        iv = bytearray(os.urandom(16))
        iv[8] &= 0x7F
        e = Cipher(algorithms.AES(keys[:32]), modes.CTR(bytes(iv))).encryptor()
        ct = e.update(secret) + e.finalize()
        return {"iv": base64.b64encode(bytes(iv)).decode(), "ciphertext": base64.b64encode(ct).decode(),
                "mac": base64.b64encode(hmac.new(keys[32:], ct, hashlib.sha256).digest()).decode()}
    account = {
        "m.secret_storage.default_key": {"key": "key"},
        "m.secret_storage.key.key": {"algorithm": "m.secret_storage.v1.aes-hmac-sha2"},
        "m.cross_signing.master": {"encrypted": {"key": ssss("m.cross_signing.master", b64(os.urandom(32)).encode())}},
        "m.megolm_backup.v1": {"encrypted": {"key": ssss("m.megolm_backup.v1", b64(BACKUP_PRIVATE).encode())}},
    }
    write_java("SecretStorageFuzzTest", "parseAndDecrypt", "account-data", json.dumps(account).encode())

    r1 = MEGOLM_RATCHET[:96] + hmac.new(MEGOLM_RATCHET[96:], b"\x03", hashlib.sha256).digest()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    session_id = b64(Ed25519PrivateKey.from_private_bytes(MEGOLM_SEED).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    for i, (index, ratchet, pt) in enumerate([(0, MEGOLM_RATCHET, b'{"room_id":"!r:x","type":"m.room.message","content":{}}'),
                                              (1, r1, b'{"room_id":"!elsewhere:x","type":"m.room.message"}'),
                                              (0, MEGOLM_RATCHET, b'"just a string"')]):
        _, full = megolm_message(index, pt, ratchet)
        event = {"type": "m.room.encrypted", "event_id": f"$e{i}", "room_id": "!r:x", "sender": "@a:x",
                 "content": {"algorithm": "m.megolm.v1.aes-sha2", "sender_key": "x", "device_id": "D",
                             "session_id": session_id, "ciphertext": b64(full)}}
        write_java("EncryptedEventFuzzTest", "batchOfOneEvent", f"event-{i}", json.dumps(event).encode())
    write_java("EncryptedEventFuzzTest", "batchOfOneEvent", "not-an-object", b"[]")


OLM_IDENTITY = bytes(range(96, 128))
OLM_ONE_TIME = [bytes(range(128 + 32 * n, 160 + 32 * n)) for n in range(3)]


def x25519_public(private):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives import serialization
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def libolm_unpickle(text, key=b""):
    """libolm's pickle envelope opened with `cryptography`: HKDF(key, "Pickle") -> AES | MAC | IV."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    raw = base64.b64decode(text + "=" * (-len(text) % 4))
    keys = hkdf(key, b"Pickle", 80)
    ct, mac = raw[:-8], raw[-8:]
    assert hmac.new(keys[32:64], ct, hashlib.sha256).digest()[:8] == mac
    d = Cipher(algorithms.AES(keys[:32]), modes.CBC(keys[64:])).decryptor()
    body = d.update(ct) + d.finalize()
    return body[:-body[-1]]


def ours_account_body(libolm_body):
    """panolm's account body (olm_pickle.c) from a libolm version-4 one."""
    pos = 4
    ed, curve = libolm_body[pos:pos + 96], libolm_body[pos + 96:pos + 160]
    pos += 160
    count = struct.unpack(">I", libolm_body[pos:pos + 4])[0]
    pos += 4
    keys = libolm_body[pos:pos + 69 * count]
    pos += 69 * count
    fallbacks = libolm_body[pos]
    rest = libolm_body[pos + 1:pos + 1 + 69 * fallbacks]
    next_id = libolm_body[-4:]
    return ed + curve + next_id + bytes([count]) + keys + bytes([fallbacks]) + rest


def olm_formats():
    """Olm: python3-olm sessions to the fixture's device (fixture.h), its pickles and their bodies."""
    import olm
    bob_identity = b64(x25519_public(OLM_IDENTITY))
    records = lambda items: b"".join(bytes([op]) + struct.pack(">H", len(b)) + b for op, b in items)
    raw = lambda m: base64.b64decode(m.ciphertext + "=" * (-len(m.ciphertext) % 4))
    for n, otk in enumerate(OLM_ONE_TIME):
        alice = olm.Account()
        session = olm.OutboundSession(alice, bob_identity, b64(x25519_public(otk)))
        messages = [raw(session.encrypt("message %d %s" % (i, "x" * (7 * i)))) for i in range(6)]
        write("fuzz_olm_session", f"libolm-in-order-{n}", records([(0, m) for m in messages]))
        write("fuzz_olm_session", f"libolm-out-of-order-{n}",
              records([(0, messages[3]), (0, messages[1]), (2, b"reply"), (0, messages[5]), (3, b"key"),
                       (0, messages[2]), (8, messages[4]), (1, messages[4][40:])]))
        write("fuzz_olm_session", f"libolm-identity-{n}",
              records([(4, messages[0])]))
        write_pickles = n == 0
        if write_pickles:
            text = session.pickle("").decode()
            write("fuzz_olm_pickle", "libolm-session-text", b"\x00" + text.encode())
            write("fuzz_olm_pickle", "libolm-session-body", b"\x06" + libolm_unpickle(text))
    account = olm.Account()
    account.generate_one_time_keys(5)
    account.generate_fallback_key()
    text = account.pickle("").decode()
    body = libolm_unpickle(text)
    write("fuzz_olm_pickle", "libolm-account-text", b"\x00" + text.encode())
    write("fuzz_olm_pickle", "libolm-account-body", b"\x05" + body)
    write("fuzz_olm_pickle", "ours-account-body", b"\x01" + ours_account_body(body))
    pk = olm.PkDecryption()
    write("fuzz_olm_pickle", "libolm-pk-body", b"\x07" + libolm_unpickle(pk.pickle("").decode()))
    write("fuzz_olm_account", "ops", bytes(range(32)) + b"\x05hello" + bytes([0x28, 2, 4, 1, 5, 6, 2, 2, 3, 7]))
    write("fuzz_olm_account", "many-keys", os.urandom(32) + b"\x00" + bytes([0xF8, 0xF8, 0xF8, 0xF8, 1, 0x08, 6]))
    # holes = 2, count = 4: pieces "{"a":" "," "}" and per-recipient values from the segment.
    segment = b'{"a":,"b":}"one""two"123'
    spans = [(0, 5), (5, 5), (10, 1)] + [(11, 5), (16, 5)] * 4
    write("fuzz_olm_batch", "template", bytes([2, 4]) + b"".join(struct.pack(">HH", o, n) for o, n in spans) + segment)


def hardening():
    """Seeds of the harnesses for encryption, the KDFs, room binding and hostile batches."""
    # fuzz_kdf: mode | out length (u16) | parameter | salt, key, info (each length-prefixed), from Wycheproof.
    def field(b):
        return bytes([len(b)]) + b
    n = 0
    for g, t in cases(wycheproof("hkdf_sha256_test.json")):
        salt, ikm, info = (bytes.fromhex(t[k]) for k in ("salt", "ikm", "info"))
        if max(len(salt), len(ikm), len(info)) < 256 and t["tcId"] % 6 == 1:
            write("fuzz_kdf", f"wycheproof-hkdf-{t['tcId']}",
                  bytes([0]) + struct.pack(">H", t["size"]) + b"\0" + field(salt) + field(ikm) + field(info))
    for g, t in cases(wycheproof("pbkdf2_hmacsha512_test.json")):
        salt, password = bytes.fromhex(t["salt"]), bytes.fromhex(t["password"])
        if max(len(salt), len(password)) < 256 and t["tcId"] % 5 == 1:
            write("fuzz_kdf", f"wycheproof-pbkdf2-{t['tcId']}", bytes([1]) + struct.pack(">H", t["dkLen"])
                  + bytes([t["iterationCount"] % 64]) + field(salt) + field(password) + field(b""))
    for mode, name in ((2, "hmac_sha256_test.json"), (3, "hmac_sha512_test.json")):
        for g, t in cases(wycheproof(name)):
            key, msg = bytes.fromhex(t["key"]), bytes.fromhex(t["msg"])
            if t["tcId"] % 20 == 1 and max(len(key), len(msg)) < 256:
                write("fuzz_kdf", f"wycheproof-hmac{mode}-{t['tcId']}",
                      bytes([mode, 0, 0, 0]) + field(b"") + field(key) + field(msg))
    # fuzz_megolm_encrypt: ratchet | index | seed | mode | plaintext, at the ratchet's part boundaries.
    event = json.dumps({"type": "m.room.message", "room_id": "!r:x",
                        "content": {"msgtype": "m.text", "body": "hello"}}).encode()
    for i, (index, pt) in enumerate([(0, event), (255, b""), (65535, b"x" * 16), (0xFFFFFF, event * 3),
                                     (0xFFFFFFFF, b"last index")]):
        write("fuzz_megolm_encrypt", f"fixture-{i}", MEGOLM_RATCHET + struct.pack(">I", index) + MEGOLM_SEED
              + bytes([i * 37]) + pt)
    # fuzz_backup_encrypt: backup private | ephemeral private | layout | a BackedUpSessionData as clients write it.
    session = json.dumps({"algorithm": "m.megolm.v1.aes-sha2", "sender_key": "x" * 43, "session_key": "A" * 220,
                          "sender_claimed_keys": {"ed25519": "y" * 43},
                          "forwarding_curve25519_key_chain": []}).encode()
    bob = bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")  # RFC 7748
    for i, layout in enumerate([0x06, 0x07, 0x1F, 0x00]):
        write("fuzz_backup_encrypt", f"fixture-{i}", BACKUP_PRIVATE + bob + bytes([layout]) + session * (1 + i))
    # fuzz_megolm_batch: hostile descriptors (slot bit 7) among real messages, and replays in reverse order.
    messages = []
    r = MEGOLM_RATCHET
    for index in range(4):
        _, full = megolm_message(index, b'{"room_id":"!r:x","n":%d}' % index, r)
        messages.append(b64(full).encode())
        r = megolm_advance(r, index + 1)
    hostile, replays = bytearray(), bytearray()
    for k, text in enumerate(messages):
        hostile += bytes([0x80 | (k << 3) | (k << 5) if k % 2 else 0, 1 | (k << 2)]) + struct.pack(">H", len(text)) + text
    for k, text in enumerate(reversed(messages + messages[:2])):  # two indices under a second id, newest first
        replays += bytes([0, 1 | (k << 2)]) + struct.pack(">H", len(text)) + text
    write("fuzz_megolm_batch", "fixture-hostile", bytes(hostile))
    write("fuzz_megolm_batch", "fixture-replays-newest-first", bytes(replays))
    # fuzz_megolm_room: rooms the plaintext spells differently, names twice, or nests.
    for i, pt in enumerate([b'{"room_id":"!r\\u003ax"}', b'{"room_id":"!r:x","room_id":"!o:x"}',
                            b'{"content":{"room_id":"!r:x"}}', b'{"room_id":["!r:x"]}']):
        write("fuzz_megolm_room", f"shapes-{i}", b"\x04!r:x" + pt)


def megolm_advance(ratchet, counter):
    """One step of the Megolm ratchet to `counter` (docs/formats.md §1.2), for seeds of consecutive indices."""
    h = 3
    for j, mask in ((0, 0xFFFFFF), (1, 0xFFFF), (2, 0xFF)):
        if counter & mask == 0:
            h = j
            break
    parts = [ratchet[i * 32:(i + 1) * 32] for i in range(4)]
    old = parts[h]
    for i in range(3, h - 1, -1):
        parts[i] = hmac.new(old, bytes([i]), hashlib.sha256).digest()
    return b"".join(parts)


def ed25519_batch():
    """fuzz_ed25519_batch: Wycheproof's 64-byte signatures as raw records, whole batches of them, and signed
    records of every kind the harness crafts (flips, mixed-order keys, torsion R) in batches across chunks."""
    raw = []
    for g, t in cases(wycheproof("ed25519_test.json")):
        msg = bytes.fromhex(t["msg"])
        if len(t["sig"]) == 128 and len(msg) < 256:
            raw.append(bytes([0, len(msg)]) + msg + bytes.fromhex(g["publicKey"]["pk"] + t["sig"]))
    for i in range(0, len(raw), 24):
        write("fuzz_ed25519_batch", f"wycheproof-{i // 24}", b"".join(raw[i:i + 24]))
    for kind in (1, 2, 3):
        recs = []
        for i in range(70):   # past one chunk of 64
            flags = (i % 4) << 2 | (kind if i % 5 == 0 else 1) | (16 if i % 11 == 0 else 0)
            body = bytes([i]) * (i % 40)
            extra = bytes([i % 7]) if kind != 1 or i % 5 != 0 else bytes([1, 40 + i % 56, 1 << (i % 8)])
            if (flags & 3) == 1 and i % 5 != 0:
                extra = bytes([0])   # no flip: a valid signature
            recs.append(bytes([flags, len(body)]) + body + extra)
        write("fuzz_ed25519_batch", f"signed-kind-{kind}", b"".join(recs))


def vodozemac_pickles():
    """fuzz_olm_vodozemac: the records of two matrix-sdk-crypto-wasm OlmMachines' IndexedDB stores (vodozemac's
    account and session pickles) from interop/node/olm/vodozemac_pickles.mjs, as stored and bare."""
    import subprocess
    out = subprocess.run(["node", str(ROOT / "interop/node/olm/vodozemac_pickles.mjs")], input=b'{"op":"setup"}\n',
                         capture_output=True, check=True, timeout=300).stdout
    setup = json.loads(out)
    for peer in ("alice", "bob"):
        account = setup[peer]["account"].encode()
        write("fuzz_olm_vodozemac", f"{peer}-account-record", b"\x02" + account)
        write("fuzz_olm_vodozemac", f"{peer}-account", b"\x00" + json.dumps(json.loads(account)["pickle"]).encode())
        for i, record in enumerate(setup[peer]["sessions"]):
            write("fuzz_olm_vodozemac", f"{peer}-session-record-{i}", b"\x03" + record.encode())
            write("fuzz_olm_vodozemac", f"{peer}-session-{i}",
                  b"\x01" + json.dumps(json.loads(record)["pickle"], separators=(",", ":")).encode())


SECTIONS = {"java": lambda: java_parsers(), "primitives": lambda: primitives(), "megolm": lambda: megolm(),
            "export": lambda: export_files(), "fixture": lambda: fixture_formats(), "hardening": lambda: hardening(),
            "olm": lambda: olm_formats(), "ed25519_batch": lambda: ed25519_batch(),
            "vodozemac": lambda: vodozemac_pickles(), "x25519": lambda: x25519_many()}

if __name__ == "__main__":
    # Every section by default; name some to write only theirs (the seeds of the others stay as they are).
    for section in sys.argv[1:] or SECTIONS:
        SECTIONS[section]()
