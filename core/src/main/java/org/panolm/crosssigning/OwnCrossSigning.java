package org.panolm.crosssigning;


import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * Our user's three cross-signing private keys and what they sign: the upload bodies, our devices (with the
 * self-signing key) and other users' master keys (with the user-signing key). Closing wipes all three seeds.
 */
public final class OwnCrossSigning implements AutoCloseable {
    private final String userId;
    private final CrossSigningPrivateKey master;
    private final CrossSigningPrivateKey selfSigning;
    private final CrossSigningPrivateKey userSigning;

    private OwnCrossSigning(String userId, CrossSigningPrivateKey master, CrossSigningPrivateKey selfSigning,
            CrossSigningPrivateKey userSigning) {
        this.userId = userId;
        this.master = master;
        this.selfSigning = selfSigning;
        this.userSigning = userSigning;
    }

    /**
     * Three fresh keys.
     *
     * @param userId our user id
     * @return the keys; the caller closes them
     */
    public static OwnCrossSigning generate(String userId) {
        return new OwnCrossSigning(userId, CrossSigningPrivateKey.generate(userId, KeyUsage.MASTER),
                CrossSigningPrivateKey.generate(userId, KeyUsage.SELF_SIGNING),
                CrossSigningPrivateKey.generate(userId, KeyUsage.USER_SIGNING));
    }

    /**
     * From three 32-byte seeds (e.g. read from secret storage); copies are kept.
     *
     * @param userId our user id
     * @param masterSeed the master key's seed
     * @param selfSigningSeed the self-signing key's seed
     * @param userSigningSeed the user-signing key's seed
     * @return the keys; the caller closes them
     */
    public static OwnCrossSigning fromSeeds(String userId, byte[] masterSeed, byte[] selfSigningSeed, byte[] userSigningSeed) {
        return new OwnCrossSigning(userId, CrossSigningPrivateKey.fromSeed(userId, KeyUsage.MASTER, masterSeed),
                CrossSigningPrivateKey.fromSeed(userId, KeyUsage.SELF_SIGNING, selfSigningSeed),
                CrossSigningPrivateKey.fromSeed(userId, KeyUsage.USER_SIGNING, userSigningSeed));
    }

    /**
     * Our user id.
     *
     * @return the user id
     */
    public String userId() {
        return userId;
    }

    /**
     * The master key.
     *
     * @return the private key
     */
    public CrossSigningPrivateKey master() {
        return master;
    }

    /**
     * The self-signing key.
     *
     * @return the private key
     */
    public CrossSigningPrivateKey selfSigning() {
        return selfSigning;
    }

    /**
     * The user-signing key.
     *
     * @return the private key
     */
    public CrossSigningPrivateKey userSigning() {
        return userSigning;
    }

    /**
     * The public key objects, the self-signing and user-signing keys signed by the master key.
     *
     * @return the public keys
     */
    public UserCrossSigningKeys publicKeys() {
        CrossSigningKey msk = master.publicKeyObject();
        CrossSigningKey ssk = CrossSigningKey.fromJson(master.sign(selfSigning.publicKeyObject().json()), KeyUsage.SELF_SIGNING);
        CrossSigningKey usk = CrossSigningKey.fromJson(master.sign(userSigning.publicKeyObject().json()), KeyUsage.USER_SIGNING);
        return new UserCrossSigningKeys(msk, ssk, usk);
    }

    /**
     * The body of {@code keys/device_signing/upload}.
     *
     * @return the request body
     */
    public DeviceSigningUpload uploadBody() {
        UserCrossSigningKeys keys = publicKeys();
        return new DeviceSigningUpload(keys.master(), keys.selfSigning(), keys.userSigning());
    }

    /**
     * Signs one of our own devices' key objects with the self-signing key (for {@code keys/signatures/upload}).
     * The device must be ours and carry a valid self-signature: we never vouch for keys the device did not claim.
     *
     * @param deviceKeys the device's key object as JSON text
     * @return the signed copy, as JSON text
     */
    public String signDevice(String deviceKeys) {
        DeviceKeys device = DeviceKeys.fromJson(deviceKeys);
        if (!device.userId().equals(userId)) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "device " + device.deviceId() + " belongs to "
                    + device.userId() + "; the self-signing key signs only " + userId + "'s devices");
        }
        if (!device.isSelfSigned()) {
            throw new PanolmException(Status.BAD_SIGNATURE, "device keys of " + userId + "/" + device.deviceId()
                    + " are not signed by the device itself");
        }
        return selfSigning.sign(device.json());
    }

    /**
     * Signs another user's master key with our user-signing key: we verified that user.
     *
     * @param otherMasterKey their master key
     * @return the signed copy of their master key, as JSON text
     */
    public String signUser(CrossSigningKey otherMasterKey) {
        if (otherMasterKey.usage() != KeyUsage.MASTER) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "the user-signing key signs master keys only");
        }
        if (otherMasterKey.userId().equals(userId)) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "our own master key is signed by our devices, not our user-signing key");
        }
        return userSigning.sign(otherMasterKey.json());
    }

    @Override
    public void close() {
        master.close();
        selfSigning.close();
        userSigning.close();
    }

    @Override
    public String toString() {
        return "OwnCrossSigning[" + userId + ", master=" + master.publicKey() + "]";
    }
}
