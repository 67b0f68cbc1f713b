#!/usr/bin/python3
"""matrix-nio's SAS state machine (over libolm) as the acceptor of a flow that panolm starts.

The script is stateless: each call replays the flow from the start with the same ephemeral key, and goes
as far as the input allows.
stdin: {"our_user", "our_device", "our_device_key",           # nio's side (the acceptor)
        "their_user", "their_device", "their_device_key",     # panolm's side (the starter)
        "nio_private_key_hex", "start": content,
        "their_key": content (optional), "their_mac": content (optional)}
stdout: {"accept": content, "cancel_code": str|null,
         "key": content, "emoji_indices", "emoji_names", "decimals", "mac": content,   # once their_key given
         "verified": bool}                                                            # once their_mac given
"""
import json
import sys

import olm
from nio.api import Api
from nio.crypto.device import OlmDevice
from nio.crypto.sas import Sas
from nio.events import KeyVerificationKey, KeyVerificationMac, KeyVerificationStart


def event(cls, sender, event_type, content):
    return cls.from_dict({"sender": sender, "type": event_type, "content": content})


def main():
    req = json.load(sys.stdin)
    them = OlmDevice(req["their_user"], req["their_device"],
                     {"ed25519": req["their_device_key"], "curve25519": "unused"})
    start = event(KeyVerificationStart, req["their_user"], "m.key.verification.start", req["start"])
    sas = Sas.from_key_verification_start(req["our_user"], req["our_device"], req["our_device_key"], them, start)
    # Replace the random ephemeral key so that every call replays the same flow, and redo the commitment.
    sas._create_sas(bytes.fromhex(req["nio_private_key_hex"]), 32)
    sas.commitment = olm.sha256(sas.pubkey + Api.to_canonical_json(req["start"]))
    out = {"cancel_code": sas.cancel_code or None}
    if sas.canceled:
        json.dump(out, sys.stdout)
        return
    out["accept"] = sas.accept_verification().content
    if "their_key" in req:
        sas.receive_key_event(event(KeyVerificationKey, req["their_user"], "m.key.verification.key", req["their_key"]))
        out["cancel_code"] = sas.cancel_code or None
        if not sas.canceled:
            out["key"] = sas.share_key().content
            emoji = sas.get_emoji()
            out["emoji_indices"] = [Sas.emoji.index(e) for e in emoji]
            out["emoji_names"] = [name for _, name in emoji]
            out["decimals"] = list(sas.get_decimals())
            sas.accept_sas()
            out["mac"] = sas.get_mac().content
    if "their_mac" in req and not sas.canceled:
        sas.receive_mac_event(event(KeyVerificationMac, req["their_user"], "m.key.verification.mac", req["their_mac"]))
        out["cancel_code"] = sas.cancel_code or None
    out["verified"] = sas.verified
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
