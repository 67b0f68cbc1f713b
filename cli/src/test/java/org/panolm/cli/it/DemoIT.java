package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code panolm demo} runs the main job end to end and checks every plaintext itself. */
class DemoIT {
    @Test
    void smallDemoChecksEveryMessage() {
        Cli.Result r = Cli.run("demo", "--rooms", "3", "--senders", "2", "--messages", "600", "--threads", "2",
                "--rotate", "50").expectExit(0);
        for (String stage : new String[] {"encrypt history", "back up every room key", "restore keys with the Security Key",
                "bulk-decrypt the history", "check every plaintext"}) {
            assertTrue(r.stdout().contains(stage), r.stdout());
        }
        assertTrue(r.lastErrLine().equals("panolm demo: all 600 messages decrypted and checked"), r.stderr());
        assertTrue(r.stderr().contains("Megolm sessions"), r.stderr());
    }
}
