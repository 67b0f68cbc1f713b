package org.panolm.trust;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.panolm.crosssigning.CrossSigningChains;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.UserCrossSigningKeys;

/**
 * Device trust, user trust and room shields from cross-signing state, from the point of view of one device
 * of {@code ownUserId}. The root of all trust is {@code ownMasterKeyTrusted}: whether this device verified
 * our own master key (by self-verification, or by holding its private key). Without it nothing is verified
 * through cross-signing; directly verified devices still are.
 */
public final class TrustEvaluator {
    private final String ownUserId;
    private final UserCrossSigningKeys ownKeys;
    private final boolean ownMasterKeyTrusted;

    /**
     * Evaluates trust from our own user's point of view.
     *
     * @param ownUserId our user id
     * @param ownKeys our cross-signing keys as the server lists them (null if we have none)
     * @param ownMasterKeyTrusted whether we trust our own master key (verified from another session or by the
     *                            Security Key)
     */
    public TrustEvaluator(String ownUserId, @Nullable UserCrossSigningKeys ownKeys, boolean ownMasterKeyTrusted) {
        this.ownUserId = ownUserId;
        this.ownKeys = ownKeys;
        this.ownMasterKeyTrusted = ownMasterKeyTrusted && ownKeys != null;
    }

    /**
     * Whether we verified {@code user}, and whether a verified identity changed.
     *
     * @param user what we know about the user
     * @return their trust
     */
    public UserTrust userTrust(UserState user) {
        boolean verified = isVerifiedNow(user);
        if (!verified && user.verifiedMasterKeyPin() != null) {
            return UserTrust.VERIFICATION_VIOLATION;
        }
        if (verified && user.verifiedMasterKeyPin() != null
                && !user.verifiedMasterKeyPin().equals(user.keys().master().publicKey())) {
            // Verified again under a new key, but the pin still names the old one: the caller must re-pin.
            return UserTrust.VERIFICATION_VIOLATION;
        }
        return verified ? UserTrust.VERIFIED : UserTrust.UNVERIFIED;
    }

    /**
     * True when the user's current master key differs from the one we verified before.
     *
     * @param user what we know about the user
     * @return whether the master key changed since we verified it
     */
    public boolean masterKeyChanged(UserState user) {
        String pin = user.verifiedMasterKeyPin();
        return pin != null && (user.keys() == null || !pin.equals(user.keys().master().publicKey()));
    }

    private boolean isVerifiedNow(UserState user) {
        if (!ownMasterKeyTrusted || user.keys() == null) {
            return false;
        }
        if (user.userId().equals(ownUserId)) {
            // Our own identity: the master key the server lists must be the one we trust.
            return user.keys().master().publicKey().equals(ownKeys.master().publicKey());
        }
        return CrossSigningChains.isUserSigned(user.keys(), ownKeys);
    }

    /**
     * How far we trust one of a user's devices.
     *
     * @param user what we know about the user
     * @param deviceId the device
     * @return its trust
     * @throws IllegalArgumentException if the user has no such device
     */
    public DeviceTrust deviceTrust(UserState user, String deviceId) {
        DeviceKeys device = user.devices().get(deviceId);
        if (device == null) {
            throw new IllegalArgumentException(user.userId() + " has no device " + deviceId);
        }
        if (!device.isSelfSigned()) {
            return DeviceTrust.INVALID;
        }
        if (user.locallyVerifiedDevices().contains(deviceId)) {
            return DeviceTrust.VERIFIED;
        }
        if (user.keys() == null || !CrossSigningChains.isDeviceCrossSigned(device, user.keys())) {
            return DeviceTrust.UNSIGNED;
        }
        return isVerifiedNow(user) && !masterKeyChanged(user) ? DeviceTrust.VERIFIED : DeviceTrust.SIGNED_BY_OWNER;
    }

    /**
     * The shield of a room with these members (our own user included, so our own unverified sessions count):
     * {@code NONE} if not encrypted; {@code RED} if a verified (or formerly verified) member has an untrusted
     * session or a changed identity; {@code GREEN} if every member is verified and every session trusted;
     * otherwise {@code BLACK}.
     *
     * @param encrypted whether the room is encrypted
     * @param members the room's members
     * @return the shield and the users behind it
     */
    public RoomShield roomShield(boolean encrypted, Collection<UserState> members) {
        Set<String> untrustedSessions = new HashSet<>();
        Set<String> changed = new HashSet<>();
        Set<String> unverified = new HashSet<>();
        for (UserState member : members) {
            UserTrust trust = userTrust(member);
            switch (trust) {
                case VERIFICATION_VIOLATION -> changed.add(member.userId());
                case UNVERIFIED -> unverified.add(member.userId());
                case VERIFIED -> {
                    for (String deviceId : member.devices().keySet()) {
                        if (!deviceTrust(member, deviceId).isTrusted()) {
                            untrustedSessions.add(member.userId());
                        }
                    }
                }
            }
        }
        Shield shield;
        if (!encrypted) {
            shield = Shield.NONE;
        } else if (!untrustedSessions.isEmpty() || !changed.isEmpty()) {
            shield = Shield.RED;
        } else if (unverified.isEmpty()) {
            shield = Shield.GREEN;
        } else {
            shield = Shield.BLACK;
        }
        return new RoomShield(shield, untrustedSessions, changed, unverified);
    }
}
