#!/usr/bin/env python3
"""A real encrypted room history made by libolm (python3-olm) and its key file made by matrix-nio, for the
panolm command's tests.

stdin:  {"rooms": int, "senders": int, "messages": int (per room), "passphrase": str, "rounds": int}
stdout: {
  "events":   [m.room.encrypted events, newest first as /messages?dir=b returns them,
               with unencrypted m.room.member events mixed in],
  "expected": {event_id: {"status": "ok", "type", "content", "session_id", "message_index", "sender_key"}
                         | {"status": "UNKNOWN_SESSION" | "UNKNOWN_INDEX" | "not_encrypted"}},
  "keys":     [exported room keys (ExportedRoomKey JSON), what Element's export holds],
  "export_file": the same keys as a room-key export file (nio.crypto.key_export, passphrase and rounds given),
  "rooms": [room ids]
}
Besides one Megolm session per room and sender, two sessions make known failures: one whose key is never
exported (its events are UNKNOWN_SESSION) and one exported only from index 2 (its first two events are
UNKNOWN_INDEX, the rest decrypt).
"""
import json
import random
import sys

import olm
from nio.crypto import key_export

MEGOLM = "m.megolm.v1.aes-sha2"


def main():
    spec = json.load(sys.stdin)
    rooms = ["!room%d:example.org" % r for r in range(spec["rooms"])]
    senders = []
    for s in range(spec["senders"]):
        account = olm.Account()
        keys = account.identity_keys
        senders.append({"user": "@sender%d:example.org" % s, "device": "DEVICE%d" % s,
                        "curve25519": keys["curve25519"], "ed25519": keys["ed25519"]})

    sessions = {}  # (room, sender index) -> OutboundGroupSession
    inbound_keys = {}  # session id -> (room, sender, session key at index 0)

    def outbound(room, s):
        key = (room, s)
        if key not in sessions:
            session = olm.OutboundGroupSession()
            sessions[key] = session
            inbound_keys[session.id] = (room, senders[s], session.session_key)
        return sessions[key]

    rng = random.Random(7)
    events = []
    expected = {}
    ts = 1_700_000_000_000
    n = 0
    withheld_room, withheld_sender = rooms[0], 0
    withheld = olm.OutboundGroupSession()
    late_room = rooms[-1]
    late = olm.OutboundGroupSession()
    inbound_keys[late.id] = (late_room, senders[-1], late.session_key)

    def encrypted_event(room, sender, session, body):
        nonlocal n, ts
        n += 1
        ts += 1000
        index = session.message_index
        plaintext = {"type": "m.room.message", "content": {"msgtype": "m.text", "body": body}, "room_id": room}
        ciphertext = session.encrypt(json.dumps(plaintext))
        event_id = "$ev%06d" % n
        event = {"type": "m.room.encrypted", "event_id": event_id, "room_id": room, "sender": sender["user"],
                 "origin_server_ts": ts, "unsigned": {"age": 5},
                 "content": {"algorithm": MEGOLM, "ciphertext": ciphertext, "session_id": session.id,
                             "sender_key": sender["curve25519"], "device_id": sender["device"]}}
        events.append(event)
        return event_id, index, plaintext

    for room in rooms:
        for m in range(spec["messages"]):
            s = rng.randrange(len(senders))
            body = "message %d of %s from %s: %s" % (m, room, senders[s]["user"], "é☃" * (m % 3))
            session = outbound(room, s)
            event_id, index, plaintext = encrypted_event(room, senders[s], session, body)
            expected[event_id] = {"status": "ok", "type": plaintext["type"], "content": plaintext["content"],
                                  "session_id": session.id, "message_index": index,
                                  "sender_key": senders[s]["curve25519"]}
            if m % 7 == 3:
                n += 1
                ts += 1000
                member = {"type": "m.room.member", "event_id": "$ev%06d" % n, "room_id": room,
                          "sender": senders[s]["user"], "state_key": senders[s]["user"],
                          "origin_server_ts": ts, "content": {"membership": "join"}}
                events.append(member)
                expected[member["event_id"]] = {"status": "not_encrypted"}
    for i in range(2):
        event_id, _, _ = encrypted_event(withheld_room, senders[withheld_sender], withheld, "withheld %d" % i)
        expected[event_id] = {"status": "UNKNOWN_SESSION"}
    for i in range(4):
        event_id, index, plaintext = encrypted_event(late_room, senders[-1], late, "late %d" % i)
        if index < 2:
            expected[event_id] = {"status": "UNKNOWN_INDEX"}
        else:
            expected[event_id] = {"status": "ok", "type": plaintext["type"], "content": plaintext["content"],
                                  "session_id": late.id, "message_index": index,
                                  "sender_key": senders[-1]["curve25519"]}

    keys = []
    for session_id, (room, sender, session_key) in inbound_keys.items():
        inbound = olm.InboundGroupSession(session_key)
        first = 2 if session_id == late.id else 0
        keys.append({"algorithm": MEGOLM, "room_id": room, "sender_key": sender["curve25519"],
                     "session_id": session_id, "session_key": inbound.export_session(first),
                     "sender_claimed_keys": {"ed25519": sender["ed25519"]},
                     "forwarding_curve25519_key_chain": []})

    events.reverse()  # newest first, as /messages?dir=b pages arrive
    export = key_export.encrypt(json.dumps(keys).encode(), spec["passphrase"], count=spec["rounds"])
    export_file = key_export.HEADER + "\n" + export + "\n" + key_export.FOOTER
    json.dump({"events": events, "expected": expected, "keys": keys, "export_file": export_file, "rooms": rooms},
              sys.stdout)


if __name__ == "__main__":
    main()
