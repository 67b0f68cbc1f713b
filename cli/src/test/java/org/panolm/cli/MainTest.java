package org.panolm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** The command tree: only the named subcommand is built for a run; help and mistakes see every command. */
class MainTest {
    private static final Set<String> ALL = Set.of("help", "history", "backup", "export", "recovery-key", "ssss", "demo",
            "bench", "aot-training", "testserver", "login", "sync", "logout", "keys");

    @Test
    void aRunBuildsOnlyItsCommand() {
        assertEquals(Set.of("history"), Main.commandLine("history", "decrypt", "--in", "x").getSubcommands().keySet());
        assertTrue(Main.commandLine("history").getSubcommands().get("history").getSubcommands().containsKey("export"),
                "history export joins the history commands");
        assertEquals(Set.of("backup"), Main.commandLine("backup", "restore").getSubcommands().keySet());
    }

    @Test
    void helpOptionsAndMistakesSeeEveryCommand() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "history"}, {"-V"}, {"histry"}}) {
            assertTrue(Main.commandLine(args).getSubcommands().keySet().containsAll(ALL), String.join(" ", args));
        }
    }
}
