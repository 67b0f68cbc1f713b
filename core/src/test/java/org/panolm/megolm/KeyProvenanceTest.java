package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.panolm.megolm.KeyProvenance.DeviceCheck;
import org.panolm.megolm.KeyProvenance.Trust;

class KeyProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURVE = "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI";

    static final List<KeyProvenance> EVERY_KIND = List.of(
            KeyProvenance.CREATED_HERE,
            new KeyProvenance.ReceivedOverOlm("@alice:example.org", "ALICEDEVICE", CURVE, DeviceCheck.VERIFIED),
            new KeyProvenance.ReceivedOverOlm("@alice:example.org", "ALICEDEVICE", CURVE, DeviceCheck.KEYS_MATCH),
            new KeyProvenance.ReceivedOverOlm("@alice:example.org", null, CURVE, DeviceCheck.NOT_MATCHED),
            new KeyProvenance.Forwarded("@me:example.org", "MYPHONE", CURVE, true, List.of(CURVE)),
            new KeyProvenance.ImportedFromFile("keys.txt", new KeyProvenance.RestoredFromBackup("7", true)),
            new KeyProvenance.ImportedFromFile(null, null),
            new KeyProvenance.RestoredFromBackup("7", false),
            new KeyProvenance.RestoredFromBackup(null, true),
            KeyProvenance.UNKNOWN);

    /** Only a key straight from its creator's matching device (or our own) is authenticated. */
    @Test
    void onlyKeysFromTheirCreatorAreAuthenticated() {
        List<Trust> expected = List.of(Trust.SENDER_VERIFIED, Trust.SENDER_VERIFIED, Trust.SENDER_AUTHENTICATED,
                Trust.UNAUTHENTICATED, Trust.UNAUTHENTICATED, Trust.UNAUTHENTICATED, Trust.UNAUTHENTICATED,
                Trust.UNAUTHENTICATED, Trust.UNAUTHENTICATED, Trust.UNAUTHENTICATED);
        for (int i = 0; i < EVERY_KIND.size(); i++) {
            KeyProvenance p = EVERY_KIND.get(i);
            assertEquals(expected.get(i), p.trust(), p::toString);
            assertEquals(expected.get(i) != Trust.UNAUTHENTICATED, p.authenticated(), p::toString);
        }
    }

    /** Store, export extras and CLI output all use this JSON: every field survives a round trip. */
    @Test
    void serialisesWithoutLosingInformation() throws Exception {
        for (KeyProvenance p : EVERY_KIND) {
            String text = JSON.writeValueAsString(p);
            assertEquals(p, JSON.readValue(text, KeyProvenance.class), text);
            JsonNode tree = JSON.readTree(text);
            assertEquals(p.source(), tree.get("source").asText(), text);
            assertFalse(tree.has("authenticated"), "derived facts are not stored: " + text);
        }
        assertEquals("{\"source\":\"olm\",\"sender_user_id\":\"@a:x\",\"sender_curve25519_key\":\"k\",\"device\":\"keys_match\"}",
                JSON.writeValueAsString(new KeyProvenance.ReceivedOverOlm("@a:x", null, "k", DeviceCheck.KEYS_MATCH)));
        assertEquals("{\"source\":\"backup\",\"backup_version\":\"3\",\"auth_data_trusted\":false}",
                JSON.writeValueAsString(new KeyProvenance.RestoredFromBackup("3", false)));
    }

    @Test
    void aClaimInAFileNeverCarriesAClaimOfItsOwn() {
        var inner = new KeyProvenance.ImportedFromFile("a.txt", KeyProvenance.CREATED_HERE);
        var outer = new KeyProvenance.ImportedFromFile("b.txt", inner);
        var claimed = (KeyProvenance.ImportedFromFile) outer.claimed();
        assertEquals("a.txt", claimed.file());
        assertNull(claimed.claimed());
        assertFalse(outer.authenticated());
        assertTrue(new KeyProvenance.ImportedFromFile("c", KeyProvenance.CREATED_HERE).claimed().authenticated(),
                "the claim says what it says; the file's key is unauthenticated all the same");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertEquals(new KeyProvenance.RestoredFromBackup("1", false), JSON.readValue(
                "{\"source\":\"backup\",\"backup_version\":\"1\",\"later\":[1,2]}", KeyProvenance.class));
    }
}
