"""matrix-nio as the independent peer for encrypted attachments.

encrypt PLAIN CIPHER: encrypts PLAIN with nio, writes the ciphertext to CIPHER, prints the EncryptedFile JSON.
decrypt CIPHER PLAIN: reads the EncryptedFile JSON on stdin, decrypts CIPHER with nio (which checks the hash)
into PLAIN.
"""
import json
import sys

from nio.crypto.attachments import decrypt_attachment, encrypt_attachment


def main():
    mode, src, dst = sys.argv[1:4]
    with open(src, "rb") as f:
        data = f.read()
    if mode == "encrypt":
        ciphertext, info = encrypt_attachment(data)
        with open(dst, "wb") as f:
            f.write(ciphertext)
        print(json.dumps(info))
    elif mode == "decrypt":
        info = json.load(sys.stdin)
        plain = decrypt_attachment(data, info["key"]["k"], info["hashes"]["sha256"], info["iv"])
        with open(dst, "wb") as f:
            f.write(plain)
    else:
        sys.exit("unknown mode " + mode)


main()
