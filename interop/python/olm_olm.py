#!/usr/bin/python3
"""Olm peer for panolm's interop tests: Debian's python3-olm (libolm through cffi).

Reads one JSON request on stdin, writes one JSON answer on stdout. State travels between calls as
pickles encrypted with the request's "passphrase". Operations:
  create_account  {passphrase, one_time_keys, sign?}    -> account keys, pickle, signature of sign
  describe_account {passphrase, account_pickle}          -> identity and unpublished one-time keys
  outbound        {passphrase, their_curve25519, their_one_time_key, plaintexts}
  inbound         {passphrase, account_pickle, sender_key?, messages, replies}
  session_step    {passphrase, session_pickle, messages, replies}
  verify          {key, message, signature}              -> {valid}
"""
import json
import sys

import olm


def message(m):
    cls = olm.OlmPreKeyMessage if m["type"] == 0 else olm.OlmMessage
    return cls(m["body"])


def wire(m):
    return {"type": m.message_type, "body": m.ciphertext}


def keys(account):
    return {
        "curve25519": account.identity_keys["curve25519"],
        "ed25519": account.identity_keys["ed25519"],
        "one_time_keys": [{"id": k, "key": v} for k, v in account.one_time_keys["curve25519"].items()],
    }


def decrypt_and_reply(session, req):
    plaintexts = [session.decrypt(message(m)) for m in req.get("messages", [])]
    replies = [wire(session.encrypt(p)) for p in req.get("replies", [])]
    return plaintexts, replies


def main():
    req = json.load(sys.stdin)
    op = req["op"]
    pw = req.get("passphrase", "")
    if op == "create_account":
        account = olm.Account()
        account.generate_one_time_keys(req.get("one_time_keys", 0))
        out = keys(account)
        if "sign" in req:
            out["signature"] = account.sign(req["sign"])
        out["account_pickle"] = account.pickle(pw).decode()
    elif op == "describe_account":
        out = keys(olm.Account.from_pickle(req["account_pickle"].encode(), pw))
    elif op == "outbound":
        account = olm.Account()
        session = olm.OutboundSession(account, req["their_curve25519"], req["their_one_time_key"])
        out = keys(account)
        out["messages"] = [wire(session.encrypt(p)) for p in req["plaintexts"]]
        out["session_id"] = session.id
        out["session_pickle"] = session.pickle(pw).decode()
    elif op == "inbound":
        account = olm.Account.from_pickle(req["account_pickle"].encode(), pw)
        first = message(req["messages"][0])
        if req.get("sender_key"):
            session = olm.InboundSession(account, first, req["sender_key"])
        else:
            session = olm.InboundSession(account, first)
        plaintexts, replies = decrypt_and_reply(session, req)
        account.remove_one_time_keys(session)
        out = {"plaintexts": plaintexts, "replies": replies, "session_id": session.id,
               "session_pickle": session.pickle(pw).decode(), "account_pickle": account.pickle(pw).decode()}
    elif op == "session_step":
        session = olm.Session.from_pickle(req["session_pickle"].encode(), pw)
        plaintexts, replies = decrypt_and_reply(session, req)
        out = {"plaintexts": plaintexts, "replies": replies, "session_id": session.id,
               "session_pickle": session.pickle(pw).decode()}
    elif op == "verify":
        try:
            olm.ed25519_verify(req["key"], req["message"], req["signature"])
            out = {"valid": True}
        except olm.OlmVerifyError:
            out = {"valid": False}
    else:
        raise SystemExit("unknown op " + op)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
