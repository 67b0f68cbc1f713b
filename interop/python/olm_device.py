#!/usr/bin/python3
"""A Matrix device made of Debian's python3-olm, for the engine's Olm peer test.

Reads one JSON request on stdin, writes one JSON answer on stdout; state travels as pickles encrypted with
"passphrase". Operations:
  send_room_key {passphrase, user_id, device_id, their_user, their_device, their_curve25519, their_ed25519,
                 their_one_time_key, room_id, body}
      -> device_keys (signed, canonical JSON), curve25519, ed25519, olm_message {type, body} carrying an
         m.room_key for a new Megolm session, megolm {session_id, ciphertext} of one m.room.message with body,
         session_pickle
  receive {passphrase, session_pickle, message {type, body}} -> {plaintext} (the Olm plaintext JSON, as text)
"""
import json
import sys

import olm

OLM = "m.olm.v1.curve25519-aes-sha2"
MEGOLM = "m.megolm.v1.aes-sha2"


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def send_room_key(req, pw):
    account = olm.Account()
    user, device = req["user_id"], req["device_id"]
    curve, ed = account.identity_keys["curve25519"], account.identity_keys["ed25519"]
    device_keys = {"user_id": user, "device_id": device, "algorithms": [OLM, MEGOLM],
                   "keys": {"curve25519:" + device: curve, "ed25519:" + device: ed}}
    device_keys["signatures"] = {user: {"ed25519:" + device: account.sign(canonical(device_keys))}}
    group = olm.OutboundGroupSession()
    room_key = {"algorithm": MEGOLM, "room_id": req["room_id"], "session_id": group.id,
                "session_key": group.session_key}
    payload = {"type": "m.room_key", "content": room_key, "sender": user, "sender_device": device,
               "keys": {"ed25519": ed}, "recipient": req["their_user"],
               "recipient_keys": {"ed25519": req["their_ed25519"]}}
    session = olm.OutboundSession(account, req["their_curve25519"], req["their_one_time_key"])
    m = session.encrypt(canonical(payload))
    ciphertext = group.encrypt(canonical({"type": "m.room.message", "room_id": req["room_id"],
                                          "content": {"msgtype": "m.text", "body": req["body"]}}))
    return {"device_keys": device_keys, "curve25519": curve, "ed25519": ed,
            "olm_message": {"type": m.message_type, "body": m.ciphertext},
            "megolm": {"session_id": group.id, "ciphertext": ciphertext},
            "session_pickle": session.pickle(pw).decode()}


def main():
    req = json.load(sys.stdin)
    pw = req.get("passphrase", "")
    if req["op"] == "send_room_key":
        out = send_room_key(req, pw)
    elif req["op"] == "receive":
        session = olm.Session.from_pickle(req["session_pickle"].encode(), pw)
        m = req["message"]
        cls = olm.OlmPreKeyMessage if m["type"] == 0 else olm.OlmMessage
        out = {"plaintext": session.decrypt(cls(m["body"]))}
    else:
        raise SystemExit("unknown op " + req["op"])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
