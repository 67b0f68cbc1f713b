#!/usr/bin/python3
"""Megolm peer for panolm's interop tests: Debian's python3-olm (libolm through cffi).

Reads one JSON request on stdin, writes one JSON answer on stdout. Operations:
  outbound {passphrase, plaintexts, export_at?}
      -> session_id, session_key (v2, before encrypting), messages, outbound and inbound pickles,
         export (v1) of an inbound session at export_at
  inbound  {passphrase?, session_key | exported_key | inbound_pickle, messages, export_at?}
      -> plaintexts, indices (null where decryption failed, with the libolm error in errors),
         first_known_index, session_id, export, pickle
"""
import json
import sys

import olm


def main():
    req = json.load(sys.stdin)
    op = req["op"]
    pw = req.get("passphrase", "")
    if op == "outbound":
        session = olm.OutboundGroupSession()
        session_key = session.session_key
        inbound = olm.InboundGroupSession(session_key)
        out = {"session_id": session.id, "session_key": session_key,
               "messages": [session.encrypt(p) for p in req["plaintexts"]],
               "message_index": session.message_index,
               "outbound_pickle": session.pickle(pw).decode(), "inbound_pickle": inbound.pickle(pw).decode()}
        if "export_at" in req:
            out["export"] = inbound.export_session(req["export_at"])
    elif op == "inbound":
        if "session_key" in req:
            session = olm.InboundGroupSession(req["session_key"])
        elif "exported_key" in req:
            session = olm.InboundGroupSession.import_session(req["exported_key"])
        else:
            session = olm.InboundGroupSession.from_pickle(req["inbound_pickle"].encode(), pw)
        plaintexts, indices, errors = [], [], []
        for m in req["messages"]:
            try:
                plaintext, index = session.decrypt(m)
                plaintexts.append(plaintext)
                indices.append(index)
                errors.append(None)
            except olm.OlmGroupSessionError as e:
                plaintexts.append(None)
                indices.append(None)
                errors.append(str(e))
        out = {"plaintexts": plaintexts, "indices": indices, "errors": errors, "session_id": session.id,
               "first_known_index": session.first_known_index, "pickle": session.pickle(pw).decode()}
        if "export_at" in req:
            out["export"] = session.export_session(req["export_at"])
    else:
        raise SystemExit("unknown op " + op)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
