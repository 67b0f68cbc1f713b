#!/usr/bin/python3
"""SAS computations by libolm (python3-olm) and matrix-nio's emoji/decimal rendering, for panolm's tests.

stdin: {"cases": [{"private_key_hex", "their_public_key", "sas_info", "mac_input", "mac_info"}]}
stdout: {"emoji_table": [[emoji, name], ...],
         "cases": [{"public_key", "sas_bytes_hex", "emoji_indices", "emoji_names", "decimals",
                    "mac_v2", "mac_legacy", "mac_long_kdf"}]}
The private key is fed to olm_create_sas as its "random" input, which libolm uses as the X25519 secret.
"""
import json
import sys

from nio.crypto.device import OlmDevice
from nio.crypto.sas import Sas


def run(case):
    peer = OlmDevice("@peer:example.org", "PEERDEVICE", {"ed25519": "unused", "curve25519": "unused"})
    sas = Sas("@me:example.org", "MYDEVICE", "unused", peer)
    sas._create_sas(bytes.fromhex(case["private_key_hex"]), 32)
    sas.set_their_pubkey(case["their_public_key"])
    info = case["sas_info"]
    emoji = sas._generate_emoji(info)
    return {
        "public_key": sas.pubkey,
        "sas_bytes_hex": bytes(sas.generate_bytes(info, 6)).hex(),
        "emoji_indices": [Sas.emoji.index(e) for e in emoji],
        "emoji_names": [name for _, name in emoji],
        "decimals": list(sas._generate_decimals(info)),
        "mac_v2": sas.calculate_mac_fixed_base64(case["mac_input"], case["mac_info"]),
        "mac_legacy": sas.calculate_mac(case["mac_input"], case["mac_info"]),
        "mac_long_kdf": sas.calculate_mac_long_kdf(case["mac_input"], case["mac_info"]),
    }


def main():
    request = json.load(sys.stdin)
    json.dump({
        "emoji_table": [[e, name] for e, name in Sas.emoji],
        "cases": [run(c) for c in request["cases"]],
    }, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
